/** Reading unified diffs, as `go mod tidy -diff` prints them (`diff current/go.mod tidy/go.mod`, `---`, `+++`, hunks). */

export interface HunkLine {
  op: ' ' | '-' | '+'
  text: string
  /**
   * The line in the old (current) file: its own line for ' ' and '-'; for '+' the line it would be inserted before
   * (one past the end when appended).
   */
  oldLine: number
}

export interface Hunk {
  oldStart: number
  oldCount: number
  newStart: number
  newCount: number
  lines: HunkLine[]
  /** the hunk as printed, header included */
  text: string
}

export interface FilePatch {
  oldPath: string
  newPath: string
  hunks: Hunk[]
  /** the `---` / `+++` header lines */
  header: string
}

const HUNK_HEADER = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/

export function parseUnifiedDiff(text: string): FilePatch[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n')
  const patches: FilePatch[] = []
  let current: FilePatch | undefined
  let i = 0
  while (i < lines.length) {
    const line = lines[i] as string
    const next = lines[i + 1]
    if (line.startsWith('--- ') && next?.startsWith('+++ ')) {
      current = {
        oldPath: line.slice(4).trim(),
        newPath: next.slice(4).trim(),
        hunks: [],
        header: `${line}\n${next}\n`,
      }
      patches.push(current)
      i += 2
      continue
    }
    const match = HUNK_HEADER.exec(line)
    if (match === null || current === undefined) {
      i++
      continue
    }
    const hunk: Hunk = {
      oldStart: Number(match[1]),
      oldCount: match[2] === undefined ? 1 : Number(match[2]),
      newStart: Number(match[3]),
      newCount: match[4] === undefined ? 1 : Number(match[4]),
      lines: [],
      text: '',
    }
    const printed = [line]
    let oldLeft = hunk.oldCount
    let newLeft = hunk.newCount
    // an empty old range is anchored after oldStart
    let oldLine = hunk.oldCount === 0 ? hunk.oldStart + 1 : hunk.oldStart
    i++
    while ((oldLeft > 0 || newLeft > 0) && i < lines.length) {
      const body = lines[i] as string
      i++
      if (body.startsWith('\\')) {
        printed.push(body)
        continue
      }
      // some tools strip the single space of an empty context line
      const op = body === '' ? ' ' : body[0]
      if (op !== ' ' && op !== '-' && op !== '+') {
        i--
        break
      }
      printed.push(body)
      hunk.lines.push({ op, text: body.slice(1), oldLine })
      if (op !== '-') newLeft--
      if (op !== '+') {
        oldLine++
        oldLeft--
      }
    }
    while (lines[i]?.startsWith('\\')) printed.push(lines[i++] as string)
    hunk.text = `${printed.join('\n')}\n`
    current.hunks.push(hunk)
  }
  return patches
}

export interface PatchedText {
  text: string
  /** for each line of the new text (0-based), the old line it sits at or would be inserted before */
  anchors: number[]
}

/** Applies the hunks to `oldText`; undefined when the context does not match (the file is not what the diff was of). */
export function applyPatch(oldText: string, hunks: Hunk[]): PatchedText | undefined {
  const oldLines = splitLines(oldText)
  const out: string[] = []
  const anchors: number[] = []
  let next = 1
  for (const hunk of hunks) {
    const start = hunk.oldCount === 0 ? hunk.oldStart + 1 : hunk.oldStart
    if (start < next) return undefined
    for (; next < start; next++) {
      if (next > oldLines.length) return undefined
      out.push(oldLines[next - 1] as string)
      anchors.push(next)
    }
    for (const line of hunk.lines) {
      if (line.op === '+') {
        out.push(line.text)
        anchors.push(line.oldLine)
        continue
      }
      if (oldLines[next - 1] !== line.text) return undefined
      if (line.op === ' ') {
        out.push(line.text)
        anchors.push(next)
      }
      next++
    }
  }
  for (; next <= oldLines.length; next++) {
    out.push(oldLines[next - 1] as string)
    anchors.push(next)
  }
  return { text: out.length === 0 ? '' : `${out.join('\n')}\n`, anchors }
}

export function splitLines(text: string): string[] {
  if (text === '') return []
  return text.replace(/\r\n/g, '\n').replace(/\n$/, '').split('\n')
}
