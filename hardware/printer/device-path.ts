import { constants, promises as fsp } from 'node:fs';
import { PRINTER_DEVICE_PATTERN } from '../../protocol/devices.js';

/**
 * Where a printer may be on the machine: the USB printer class, parallel ports, USB serial adapters, built-in
 * serial ports and their stable names. Nothing else under /dev (disks, memory, shared memory files) is a printer.
 */
const PRINTER_DEVICE = new RegExp(`^${PRINTER_DEVICE_PATTERN}$`);

/** True when a path names a printer device: `/dev/usb/lp*`, `/dev/lp*`, `/dev/ttyUSB*`, `/dev/ttyACM*`, `/dev/ttyS*`, `/dev/serial/by-id/*`. */
export const isPrinterDevicePath = (path: string): boolean => PRINTER_DEVICE.test(path);

/**
 * Opens a printer device for reading and writing, non-blocking: the path must be on the allow-list, and so must
 * what its symlinks lead to (a `/dev/serial/by-id/*` name leads to a ttyUSB/ttyACM), and what is opened must be a
 * character device. Nothing is written before these checks; anything else rejects naming the problem.
 * `anyDevice`: only the character-device check (the driver tests on a pty).
 */
export async function openPrinterDevice(path: string, anyDevice = false): Promise<fsp.FileHandle> {
  if (!anyDevice && !isPrinterDevicePath(path)) throw new Error(`${path} không phải đường dẫn máy in (/dev/usb/lp*, /dev/ttyUSB*…) / is not a printer device path`);
  const real = await fsp.realpath(path);
  if (!anyDevice && !isPrinterDevicePath(real)) throw new Error(`${path} dẫn tới ${real}, không phải máy in / leads to ${real}, not a printer device`);
  const handle = await fsp.open(real, constants.O_RDWR | constants.O_NONBLOCK | constants.O_NOCTTY | constants.O_NOFOLLOW);
  const stat = await handle.stat().catch(async (err: unknown) => {
    await handle.close();
    throw err;
  });
  if (!stat.isCharacterDevice()) {
    await handle.close();
    throw new Error(`${path} không phải thiết bị ký tự / is not a character device`);
  }
  return handle;
}
