// Every flag name that some go command defines, as Go 1.26.8 reports it. Go refuses a GOFLAGS word whose name no
// command defines ("unknown flag"), and a non-boolean flag written without =value ("flag needs an argument").
//
// How the lists were obtained: every quoted identifier in cmd/go's source was tried as GOFLAGS=-NAME=1 with
// `go version` (unknown names fail); each known name was then tried as GOFLAGS=-NAME and GOFLAGS=-NAME=zzz with
// every go command, sorting names by "flag needs an argument" versus "invalid boolean value".

/** boolean in every command that defines them: `-x` alone is enough */
export const BOOLEAN_FLAGS: ReadonlySet<string> = new Set(
  (
    'a artifacts asan benchmem buildvcs cache changed compiled cover d deps diff e export failfast find fmt fullpath ' +
    'fuzzcache i insecure json linkshared m modcache modcacherw msan n print r race retracted short t test testcache ' +
    'trimpath u v vendor versions w work x ' +
    'test.artifacts test.benchmem test.failfast test.fullpath test.short test.v'
  ).split(' '),
)

/** need `=value` in every command that defines them */
export const VALUE_FLAGS: ReadonlySet<string> = new Set(
  (
    'C asmflags bench benchtime blockprofile blockprofilerate buildmode compat compiler count covermode coverpkg ' +
    'coverprofile cpu cpuprofile debug-actiongraph debug-runtime-trace debug-trace dropexclude dropgodebug ' +
    'dropignore dropreplace droprequire dropretract droptool dropuse exclude exec fuzz fuzzminimizetime fuzztime ' +
    'gccgoflags gcflags go godebug ignore installsuffix ldflags list memprofile memprofilerate mod modfile module ' +
    'mutexprofile mutexprofilefraction o outputdir overlay p parallel pgo pkgdir replace require retract reuse run ' +
    'shuffle skip tags timeout toolchain toolexec trace use vet ' +
    'test.bench test.benchtime test.blockprofile test.blockprofilerate test.count test.coverprofile test.cpu ' +
    'test.cpuprofile test.fuzz test.fuzzminimizetime test.fuzztime test.list test.memprofile test.memprofilerate ' +
    'test.mutexprofile test.mutexprofilefraction test.outputdir test.parallel test.run test.shuffle test.skip ' +
    'test.timeout test.trace'
  ).split(' '),
)

/** boolean in some commands, needing a value in the ones named */
export const MIXED_FLAGS: ReadonlyMap<string, string[]> = new Map([
  ['c', ['go fix', 'go vet']],
  ['f', ['go list']],
  ['fix', ['go fix']],
  ['tool', ['go mod edit']],
])

/** boolean flags that also take other values: everywhere, or only in the commands named */
export const FLEXIBLE_BOOLEANS: ReadonlyMap<string, { accepts: (value: string) => boolean; only?: string }> = new Map([
  ['buildvcs', { accepts: (value: string) => value === '' || value === 'auto' }],
  ['json', { accepts: () => true, only: 'go list (a field list)' }],
  ['u', { accepts: (value: string) => value === 'patch', only: 'go get' }],
  ['v', { accepts: (value: string) => value === 'test2json', only: 'go test' }],
])

/** the flags `go build` defines: a word after -ldflags=… that is not one of them was probably meant for the linker */
export const BUILD_FLAGS: ReadonlySet<string> = new Set(
  (
    'C a asan asmflags buildmode buildvcs compiler cover covermode coverpkg debug-actiongraph debug-runtime-trace ' +
    'debug-trace gccgoflags gcflags installsuffix json ldflags linkshared mod modcacherw modfile msan n o overlay p ' +
    'pgo pkgdir race tags toolexec trimpath v work x'
  ).split(' '),
)
