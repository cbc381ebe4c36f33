// In-order traversal of a binary search tree with recursive `yield*`, an early exit that closes
// every suspended level (their `finally` blocks run), and a generator that receives values.
export interface TreeNode<T> {
  value: T;
  left?: TreeNode<T>;
  right?: TreeNode<T>;
}

function insert<T>(root: TreeNode<T> | undefined, value: T): TreeNode<T> {
  if (!root) return { value };
  if (value < root.value) root.left = insert(root.left, value);
  else root.right = insert(root.right, value);
  return root;
}

const closed: number[] = [];

export function* inOrder<T>(node: TreeNode<T> | undefined, depth = 0): Generator<T, void, undefined> {
  if (!node) return;
  try {
    yield* inOrder(node.left, depth + 1);
    yield node.value;
    yield* inOrder(node.right, depth + 1);
  } finally {
    closed.push(depth);
  }
}

/** A running average: send it numbers with next(x), it yields the mean so far. */
export function* averager(): Generator<number, never, number> {
  let sum = 0;
  let count = 0;
  let x = yield NaN;
  for (;;) {
    sum += x;
    count++;
    x = yield sum / count;
  }
}

let root: TreeNode<number> | undefined;
for (const v of [50, 30, 70, 20, 40, 60, 80, 35]) root = insert(root, v);

console.log('sorted:', [...inOrder(root)].join(' '));
closed.length = 0;
const firstThree: number[] = [];
for (const v of inOrder(root)) {
  if (firstThree.length === 3) break;
  firstThree.push(v);
}
console.log('first three:', firstThree.join(' '), '| finally ran at depths', closed.join(','));

const avg = averager();
avg.next();
console.log('averages:', [10, 20, 60].map((x) => avg.next(x).value).join(' '));
