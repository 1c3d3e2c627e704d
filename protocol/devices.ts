/** Devices: kiosks, lookup kiosks, displays, tablets and hardware agents, known by a token. */
import { Type, type Static } from '@sinclair/typebox';
import { Id, Name, Nullable } from './common.js';

export const DeviceKind = Type.Union([
  Type.Literal('kiosk'),
  Type.Literal('lookup'),
  Type.Literal('display'),
  Type.Literal('tablet'),
  Type.Literal('agent'),
]);
export type DeviceKind = Static<typeof DeviceKind>;

/**
 * The device paths a printer may have: `/dev/usb/lp*`, `/dev/lp*`, `/dev/ttyUSB*`, `/dev/ttyACM*`, `/dev/ttyS*`,
 * `/dev/serial/by-id/*` (a regular expression without anchors). The hub also follows symlinks and opens only a
 * character device.
 */
export const PRINTER_DEVICE_PATTERN = '/dev/(usb/lp[0-9]+|lp[0-9]+|ttyUSB[0-9]+|ttyACM[0-9]+|ttyS[0-9]+|serial/by-id/[A-Za-z0-9._:+-]+)';

export const CreateDeviceBody = Type.Object(
  {
    kind: DeviceKind,
    name: Name(120),
    counterId: Type.Optional(Id),
    printer: Type.Optional(
      Type.String({
        maxLength: 200,
        pattern: `^(tcp://[A-Za-z0-9.\\-]+(:[0-9]{1,5})?|${PRINTER_DEVICE_PATTERN}|sim|agent(:[0-9]{1,10})?)(\\?[A-Za-z0-9=&._-]{0,100})?$`,
        description:
          'where prints go: tcp://host:9100, a printer device path (/dev/usb/lp*, /dev/lp*, /dev/ttyUSB*, /dev/ttyACM*, /dev/ttyS*, /dev/serial/by-id/*), sim, or agent:<agentDeviceId> (the agent on this device\'s PC; `agent` on the agent itself); options as ?type=epson|star&text=raster|cp1258&width=80|58',
      }),
    ),
  },
  { additionalProperties: false },
);
export type CreateDeviceBody = Static<typeof CreateDeviceBody>;

/**
 * An admin's change to a device (PATCH /devices/:id), without revoking and pairing it again: its name, the
 * counter it belongs to (null: none; a tablet always has one) and where its prints go (null: it does not print).
 * The device's open sockets are cut so it reconnects with its new counter.
 */
export const PatchDeviceBody = Type.Object(
  {
    name: Type.Optional(Name(120)),
    counterId: Type.Optional(Nullable(Id)),
    printer: Type.Optional(Nullable(Type.Optional(CreateDeviceBody.properties.printer, false))),
  },
  { additionalProperties: false, minProperties: 1 },
);
export type PatchDeviceBody = Static<typeof PatchDeviceBody>;

/**
 * The new device's token, shown once (only its hash is kept), and the address the device opens once with it
 * (`PUBLIC_URL` + `/kiosk/?token=…`, `/kiosk/lookup?token=…`, `/display/?token=…`, `/tablet/?token=…`;
 * null for a hardware agent, which takes the token on its command line).
 */
export const CreateDeviceReply = Type.Object({ id: Id, token: Type.String(), url: Nullable(Type.String()) });
export type CreateDeviceReply = Static<typeof CreateDeviceReply>;

/** Live health of a device: `online` is true while it holds a socket to any hub process. */
export const DeviceHealth = Type.Object({
  online: Type.Boolean(),
  lastSeenAt: Nullable(Type.String({ format: 'date-time' })),
  faults: Type.Array(Type.Object({ code: Type.String(), message: Type.String(), since: Type.String() })),
});
export type DeviceHealth = Static<typeof DeviceHealth>;

export const Device = Type.Object({
  id: Id,
  kind: DeviceKind,
  name: Type.String(),
  counterId: Nullable(Id),
  printer: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  revoked: Type.Boolean(),
  health: DeviceHealth,
});
export type Device = Static<typeof Device>;
