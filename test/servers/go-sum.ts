/**
 * The go.sum lines (from a server's or an export's `goSum`) of the given modules, each given as a module path
 * (every version) or `path@version`, joined as the text of a go.sum file.
 */
export function goSumFor(goSum: readonly string[], ...modules: string[]): string {
  const wanted = (line: string): boolean => {
    const [modulePath = '', versionField = ''] = line.split(' ')
    const version = versionField.replace(/\/go\.mod$/, '')
    return modules.some((m) => m === modulePath || m === `${modulePath}@${version}`)
  }
  const lines = goSum.filter(wanted)
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`
}
