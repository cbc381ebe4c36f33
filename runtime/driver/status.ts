// NTSTATUS-style completion codes. Values follow the Windows ones so logs read the same; success
// codes have the top two bits clear.
export const Status = {
  Success: 0x00000000,
  Pending: 0x00000103,
  Cancelled: 0xc0000120,
  InsufficientResources: 0xc000009a,
  InvalidDeviceRequest: 0xc0000010,
  InvalidParameter: 0xc000000d,
  DeletePending: 0xc0000056,
  InvalidHandle: 0xc0000008,
  InternalError: 0xc00000e5,
  /** A completion routine keeps the request: completion stops, and the routine's driver completes it again later. */
  MoreProcessingRequired: 0xc0000016,
} as const;
export type StatusCode = number;

/** NT_SUCCESS: informational and success codes. */
export function ntSuccess(status: StatusCode): boolean {
  return status >>> 30 < 2;
}

/** A readable name for a status, for messages and logs. */
export function statusName(status: StatusCode): string {
  for (const k in Status) if ((Status as Record<string, number>)[k] === status) return k;
  return `0x${(status >>> 0).toString(16).padStart(8, '0')}`;
}
