// Renders the GitLab templates' shell from templates/src/*.sh into templates/*.yml (part of `npm run build`).
// In a template, a comment line `# rendered from templates/src/NAME.sh …` followed by a `- |` item marks the block:
// the item's text is replaced by the file's, indented to fit. Only the template YAML is released to GitLab, so the
// shell has to live inside it; keeping it in .sh files lets shellcheck and the tests read it as a script.
//
//   node scripts/render-templates.mjs [--root DIR] [--check]
//
// --check renders in memory and exits 1, naming the stale templates, instead of writing.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const MARKER = /^( *)# rendered from (templates\/src\/[A-Za-z0-9._-]+\.sh)\b/

/** The template text with every marked block replaced by its source file's text (read through `readSource`). */
export function renderTemplate(text, readSource) {
  const lines = text.split('\n')
  const out = []
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]
    out.push(line)
    const marker = MARKER.exec(line)
    if (!marker) continue
    const indent = marker[1]
    const item = lines[i + 1]
    if (item !== `${indent}- |`) throw new Error(`line ${i + 2}: a '- |' item must follow the marker for ${marker[2]}`)
    out.push(item)
    // skip the old text: blank lines and lines indented deeper than the item
    let j = i + 2
    while (j < lines.length && (lines[j].trim() === '' || lines[j].startsWith(`${indent}  `))) j++
    // blank lines the block swallowed at its end belong after it
    let end = j
    while (end > i + 2 && lines[end - 1].trim() === '') end--
    const source = readSource(marker[2])
    if (!source.endsWith('\n')) throw new Error(`${marker[2]} must end with a newline`)
    for (const sourceLine of source.slice(0, -1).split('\n')) {
      if (/^\s*\t/.test(sourceLine)) throw new Error(`${marker[2]}: a tab indents a line (YAML indents with spaces)`)
      out.push(sourceLine === '' ? '' : `${indent}  ${sourceLine}`)
    }
    for (let k = end; k < j; k++) out.push('')
    i = j - 1
  }
  return out.join('\n')
}

/** Renders every templates/*.yml under root; returns the names whose committed text differs from the rendering. */
export function renderAll(root, { write }) {
  const dir = path.join(root, 'templates')
  const stale = []
  for (const name of readdirSync(dir)
    .filter((n) => n.endsWith('.yml'))
    .sort()) {
    const file = path.join(dir, name)
    const text = readFileSync(file, 'utf8')
    const rendered = renderTemplate(text, (source) => readFileSync(path.join(root, source), 'utf8'))
    if (rendered === text) continue
    stale.push(`templates/${name}`)
    if (write) writeFileSync(file, rendered)
  }
  return stale
}

function main(argv) {
  let root = path.resolve(import.meta.dirname, '..')
  let check = false
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--check') check = true
    else if (argv[i] === '--root' && argv[i + 1] !== undefined) root = path.resolve(argv[++i])
    else {
      console.error(`render-templates: unknown argument ${argv[i]}`)
      return 2
    }
  }
  const stale = renderAll(root, { write: !check })
  if (check && stale.length > 0) {
    console.error(`render-templates: stale, run npm run build and commit: ${stale.join(', ')}`)
    return 1
  }
  if (!check) for (const name of stale) console.log(`render-templates: wrote ${name}`)
  return 0
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2))
