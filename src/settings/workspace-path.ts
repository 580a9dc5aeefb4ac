import { realpathSync } from 'node:fs'
import path from 'node:path'

/** True when `target` is `root` or lies below it. Both must be absolute and already resolved. */
export function isInside(root: string, target: string): boolean {
  const relative = path.relative(root, target)
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative))
}

/** `target` with every symbolic link resolved; as given when it does not exist (nothing to follow yet). */
export function realPath(target: string): string {
  try {
    return realpathSync(target)
  } catch {
    return target
  }
}

/**
 * Where `target` (absolute) really is, when that is outside `root`: after `..` and symbolic links are resolved, for
 * both. Undefined when it stays inside.
 */
export function outside(root: string, target: string): string | undefined {
  const real = realPath(target)
  return isInside(realPath(root), real) ? undefined : real
}
