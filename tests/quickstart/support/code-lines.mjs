// "Lines of code" for the quick starts' size limit: every line but blank ones and comment-only ones.
export function codeLines(text) {
  return text.split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('//'));
}
