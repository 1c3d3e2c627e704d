/** Placeholder: the public rankings page replaces this file. */
export default function RankingsApp() {
  return <main><h1>Xếp hạng mức độ hài lòng</h1></main>;
}
