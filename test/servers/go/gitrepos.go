package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"

	"golang.org/x/mod/semver"
)

// fixtureHost is the host the git fixtures' go.mod files name; it is rewritten when the git server uses another.
const fixtureHost = "127.0.0.1"

// gitRepo is one bare repository served by the git server, with the fixture module of each tagged version.
type gitRepo struct {
	name    string
	modules []*fixtureModule
}

// createGitRepos makes <root>/private/<name>.git for every directory <name> of fixturesDir: one commit per
// version subdirectory, oldest first, each tagged with its version (module path <host>/private/<name>).
func createGitRepos(fixturesDir, root, host string, env []string) ([]gitRepo, error) {
	entries, err := os.ReadDir(fixturesDir)
	if err != nil {
		return nil, err
	}
	var repos []gitRepo
	for _, entry := range entries {
		if !entry.IsDir() {
			continue
		}
		repo, err := createGitRepo(filepath.Join(fixturesDir, entry.Name()), root, host, entry.Name(), env)
		if err != nil {
			return nil, fmt.Errorf("git fixture %s: %w", entry.Name(), err)
		}
		repos = append(repos, repo)
	}
	return repos, nil
}

func createGitRepo(fixtureDir, root, host, name string, env []string) (gitRepo, error) {
	versions, err := versionDirs(fixtureDir)
	if err != nil {
		return gitRepo{}, err
	}
	modPath := host + "/private/" + name
	repo := gitRepo{name: name}
	var stream bytes.Buffer
	for i, version := range versions {
		files, err := readFiles(filepath.Join(fixtureDir, version))
		if err != nil {
			return gitRepo{}, err
		}
		for j := range files {
			if files[j].name == "go.mod" {
				files[j].data = bytes.Replace(files[j].data,
					[]byte("module "+fixtureHost+"/private/"), []byte("module "+host+"/private/"), 1)
			}
		}
		m, err := buildModule(modPath, version, files)
		if err != nil {
			return gitRepo{}, err
		}
		repo.modules = append(repo.modules, m)
		writeCommit(&stream, i+1, version, files)
	}
	bare := filepath.Join(root, "private", name+".git")
	if err := runGit(env, nil, "init", "--bare", "--quiet", "--initial-branch=main", bare); err != nil {
		return gitRepo{}, err
	}
	if err := runGit(env, &stream, "--git-dir="+bare, "fast-import", "--quiet"); err != nil {
		return gitRepo{}, err
	}
	return repo, nil
}

func versionDirs(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var versions []string
	for _, e := range entries {
		if e.IsDir() && semver.IsValid(e.Name()) {
			versions = append(versions, e.Name())
		}
	}
	if len(versions) == 0 {
		return nil, fmt.Errorf("no version directories (like v1.0.0) in %s", dir)
	}
	sort.Slice(versions, func(i, j int) bool { return semver.Compare(versions[i], versions[j]) < 0 })
	return versions, nil
}

// writeCommit appends one commit (the whole tree replaced by files) and a lightweight tag to a git fast-import stream.
func writeCommit(stream *bytes.Buffer, mark int, version string, files []memFile) {
	message := "fixture " + version + "\n"
	fmt.Fprintf(stream, "commit refs/heads/main\nmark :%d\n", mark)
	when := fixtureTime.Unix() + int64(mark)
	fmt.Fprintf(stream, "committer goproxy-guard test <test@goproxy-guard.invalid> %d +0000\n", when)
	fmt.Fprintf(stream, "data %d\n%s", len(message), message)
	stream.WriteString("deleteall\n")
	for _, f := range files {
		fmt.Fprintf(stream, "M 100644 inline %s\ndata %d\n", f.name, len(f.data))
		stream.Write(f.data)
		stream.WriteString("\n")
	}
	fmt.Fprintf(stream, "\nreset refs/tags/%s\nfrom :%d\n\n", version, mark)
}

func runGit(env []string, stdin *bytes.Buffer, args ...string) error {
	cmd := exec.Command("git", args...)
	cmd.Env = env
	if stdin != nil {
		cmd.Stdin = stdin
	}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("git %v: %w\n%s", args, err, out)
	}
	return nil
}

// isolatedGitEnv keeps the machine's and user's git configuration away from the repositories we create and serve.
func isolatedGitEnv(home string) []string {
	return []string{
		"PATH=" + os.Getenv("PATH"),
		"HOME=" + home,
		"GIT_CONFIG_NOSYSTEM=1",
		"GIT_CONFIG_GLOBAL=" + os.DevNull,
	}
}
