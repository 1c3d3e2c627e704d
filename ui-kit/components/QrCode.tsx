import QRCode from 'qrcode';
import { useEffect, useState } from 'preact/hooks';

export interface QrCodeProps {
  value: string;
  /** Rendered width and height in CSS pixels. */
  size?: number;
  label?: string;
}

/** A QR code rendered to inline SVG (crisp at any size, prints well). */
export function QrCode({ value, size = 200, label }: QrCodeProps) {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    QRCode.toString(value, { type: 'svg', errorCorrectionLevel: 'M', margin: 1, color: { dark: '#000000', light: '#ffffff' } })
      .then((s) => {
        if (live) setSvg(s);
      })
      .catch(() => {
        if (live) setSvg(null);
      });
    return () => {
      live = false;
    };
  }, [value]);
  return (
    <div
      class="hh-qr"
      role="img"
      aria-label={label ?? value}
      data-value={value}
      style={{ width: `${size}px`, height: `${size}px` }}
      // The SVG comes from the qrcode library, built from our own URL, never from user HTML.
      dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
    />
  );
}
