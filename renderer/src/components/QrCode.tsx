import { useEffect, useState } from 'react';

/** The QR code of `value` as an SVG data URL (the CSP allows data: images; no inline <svg> styles needed). */
async function qrDataUrl(value: string): Promise<string> {
  // Loaded on demand: only a device being linked needs it.
  const { toString } = await import('qrcode');
  const svg = await toString(value, { type: 'svg', margin: 2, errorCorrectionLevel: 'M', color: { dark: '#000000', light: '#ffffff' } });
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

export function QrCode({ value, alt }: { value: string; alt: string }) {
  const [src, setSrc] = useState<{ value: string; url: string } | null>(null);

  useEffect(() => {
    let live = true;
    qrDataUrl(value).then(
      (url) => {
        if (live) setSrc({ value, url });
      },
      (error: unknown) => console.warn('QR code failed', error),
    );
    return () => {
      live = false;
    };
  }, [value]);

  if (!src || src.value !== value) return <div className="qr-code qr-placeholder" aria-hidden="true" />;
  return <img className="qr-code" src={src.url} alt={alt} width={192} height={192} />;
}
