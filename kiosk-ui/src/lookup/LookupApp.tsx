/** Placeholder: the lookup kiosk (dossier status by barcode) replaces this file. */
export default function LookupApp() {
  return <main><h1>Tra cứu hồ sơ</h1></main>;
}
