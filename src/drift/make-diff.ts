import { splitLines } from './unified-diff.js'

/** One step of a line edit script. */
export type Edit = { op: ' ' | '-' | '+'; text: string }

/** Beyond this many differing lines the shortest-edit search costs more than it tells: the whole file is replaced. */
const MAX_EDIT_DISTANCE = 2000

/** The shortest line edit script from `a` to `b` (Myers' O(ND) algorithm). */
export function diffLines(a: string[], b: string[]): Edit[] {
  const n = a.length
  const m = b.length
  const max = Math.min(n + m, MAX_EDIT_DISTANCE)
  const offset = max + 1
  let v = new Int32Array(2 * max + 3)
  const trace: Int32Array[] = []
  let found = -1
  for (let d = 0; d <= max && found < 0; d++) {
    trace.push(v.slice())
    const nextV = v.slice()
    for (let k = -d; k <= d; k += 2) {
      const down = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number))
      let x = down ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1
      let y = x - k
      while (x < n && y < m && a[x] === b[y]) {
        x++
        y++
      }
      nextV[offset + k] = x
      if (x >= n && y >= m) {
        found = d
        break
      }
    }
    v = nextV
  }
  if (found < 0)
    return [...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text }))]

  const edits: Edit[] = []
  let x = n
  let y = m
  for (let d = found; d > 0; d--) {
    // trace[d] holds the furthest x per diagonal after d - 1 edits
    const prev = trace[d] as Int32Array
    const k = x - y
    const down = k === -d || (k !== d && (prev[offset + k - 1] as number) < (prev[offset + k + 1] as number))
    const prevK = down ? k + 1 : k - 1
    const prevX = prev[offset + prevK] as number
    const prevY = prevX - prevK
    const snakeX = down ? prevX : prevX + 1
    while (x > snakeX) {
      x--
      y--
      edits.push({ op: ' ', text: a[x] as string })
    }
    if (down) edits.push({ op: '+', text: b[prevY] as string })
    else edits.push({ op: '-', text: a[prevX] as string })
    x = prevX
    y = prevY
  }
  while (x > 0) {
    x--
    edits.push({ op: ' ', text: a[x] as string })
  }
  return edits.reverse()
}

export interface UnifiedDiffResult {
  /** the diff text; empty when the texts are equal */
  text: string
  /** first changed line in the new text (1-based), for annotations; undefined when equal */
  firstNewLine?: number
  added: number
  removed: number
}

/** A unified diff with `context` lines around each change, headed `--- oldName` / `+++ newName`. */
export function unifiedDiff(
  oldName: string,
  newName: string,
  oldText: string,
  newText: string,
  context = 3,
): UnifiedDiffResult {
  const edits = diffLines(splitLines(oldText), splitLines(newText))
  const changed = edits.map((e, i) => (e.op === ' ' ? -1 : i)).filter((i) => i >= 0)
  if (changed.length === 0) return { text: '', added: 0, removed: 0 }

  // positions (1-based) of each edit in the old and new file
  const oldAt: number[] = []
  const newAt: number[] = []
  let o = 1
  let nw = 1
  for (const e of edits) {
    oldAt.push(o)
    newAt.push(nw)
    if (e.op !== '+') o++
    if (e.op !== '-') nw++
  }

  const groups: Array<[number, number]> = []
  for (const i of changed) {
    const last = groups[groups.length - 1]
    if (last !== undefined && i - last[1] <= 2 * context + 1) last[1] = i
    else groups.push([i, i])
  }

  let text = `--- ${oldName}\n+++ ${newName}\n`
  for (const [first, last] of groups) {
    const from = Math.max(0, first - context)
    const to = Math.min(edits.length - 1, last + context)
    const slice = edits.slice(from, to + 1)
    const oldCount = slice.filter((e) => e.op !== '+').length
    const newCount = slice.filter((e) => e.op !== '-').length
    const oldStart = oldCount === 0 ? (oldAt[from] as number) - 1 : (oldAt[from] as number)
    const newStart = newCount === 0 ? (newAt[from] as number) - 1 : (newAt[from] as number)
    text += `@@ -${oldStart},${oldCount} +${newStart},${newCount} @@\n`
    for (const e of slice) text += `${e.op}${e.text}\n`
  }
  const firstEdit = changed[0] as number
  const added = edits.filter((e) => e.op === '+').length
  const removed = edits.filter((e) => e.op === '-').length
  const firstNewLine = Math.max(1, Math.min(newAt[firstEdit] as number, splitLines(newText).length))
  return { text, firstNewLine, added, removed }
}
