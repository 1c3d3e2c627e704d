/** Placeholder: the managers' live board replaces this file. */
export default function BoardApp() {
  return <main><h1>Bảng điều hành</h1></main>;
}
