// Prepares a release: writes the version into what is released with it, before the tag is made.
//
//   node scripts/release.mjs X.Y.Z [--root DIR]
//
// CHANGELOG.md must already have its `## [X.Y.Z]` section. The script then writes X.Y.Z into package.json (and
// package-lock.json) and into the default image of templates/check.yml, the one file GitLab releases: a component
// included by SHA or branch gets the image of the release it was cut from, on every GitLab version (no
// spec:component). test/unit/release.test.ts checks that the three agree; the tag pipeline checks the tag against
// them before publishing to the CI/CD Catalog.
import { readFileSync, writeFileSync } from 'node:fs'
import path from 'node:path'

const SEMVER = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-[0-9A-Za-z.-]+)?$/
export const IMAGE_DEFAULT = /^( {6}default: '\$CI_REGISTRY\/example-org\/goproxy-guard:)([^']*)(')$/m

/** The versions CHANGELOG.md records as released (`## [X.Y.Z]` or `## X.Y.Z`), newest first as written. */
export function releasedVersions(changelog) {
  return [...changelog.matchAll(/^## \[?([0-9][^\]\s]*)\]?/gm)].map((m) => m[1])
}

/** The tag of templates/check.yml's default image. */
export function imageTag(template) {
  const match = IMAGE_DEFAULT.exec(template)
  if (!match) throw new Error("templates/check.yml: no default image '$CI_REGISTRY/example-org/goproxy-guard:TAG'")
  return match[2]
}

export function release(root, version) {
  if (!SEMVER.test(version)) {
    throw new Error(
      `'${version}' is not a version: write X.Y.Z (or X.Y.Z-rc.1), without a v (GitLab's catalog wants none)`,
    )
  }
  const read = (file) => readFileSync(path.join(root, file), 'utf8')
  if (!releasedVersions(read('CHANGELOG.md')).includes(version)) {
    throw new Error(`CHANGELOG.md has no '## [${version}]' section: move the Unreleased entries under it first`)
  }
  const template = read('templates/check.yml')
  imageTag(template)
  writeFileSync(path.join(root, 'templates/check.yml'), template.replace(IMAGE_DEFAULT, `$1${version}$3`))
  const pkg = JSON.parse(read('package.json'))
  pkg.version = version
  writeFileSync(path.join(root, 'package.json'), `${JSON.stringify(pkg, null, 2)}\n`)
  const lock = JSON.parse(read('package-lock.json'))
  lock.version = version
  if (lock.packages?.['']) lock.packages[''].version = version
  writeFileSync(path.join(root, 'package-lock.json'), `${JSON.stringify(lock, null, 2)}\n`)
}

function main(argv) {
  let root = path.resolve(import.meta.dirname, '..')
  const versions = []
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--root' && argv[i + 1] !== undefined) root = path.resolve(argv[++i])
    else versions.push(argv[i])
  }
  if (versions.length !== 1) {
    console.error('usage: node scripts/release.mjs X.Y.Z [--root DIR]')
    return 2
  }
  try {
    release(root, versions[0])
  } catch (error) {
    console.error(`release: ${error.message}`)
    return 1
  }
  console.log(`release: ${versions[0]} written to package.json, package-lock.json and templates/check.yml.`)
  console.log(
    `Next: git commit -am 'Release ${versions[0]}' && git tag ${versions[0]} && git push origin ${versions[0]}`,
  )
  return 0
}

if (import.meta.url === `file://${process.argv[1]}`) process.exitCode = main(process.argv.slice(2))
