package main

import (
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"

	"golang.org/x/mod/module"
)

// serveOutput is the one JSON line printed once every listener is up. README.md documents it.
type serveOutput struct {
	CAFile    string              `json:"caFile"`
	WorkDir   string              `json:"workDir"`
	Proxies   map[string]endpoint `json:"proxies"`
	SumDB     sumdbOutput         `json:"sumdb"`
	Git       *gitOutput          `json:"git,omitempty"`
	Refused   endpoint            `json:"refused"`
	GoSum     []string            `json:"goSum"`
	StartupMs int64               `json:"startupMs"`
}

type endpoint struct {
	URL  string `json:"url"`
	Host string `json:"host"` // host:port, as a netrc machine line with a port names it
	Port int    `json:"port"`
}

type sumdbOutput struct {
	endpoint
	Name    string `json:"name"`
	Key     string `json:"key"`
	GoSumDB string `json:"gosumdb"`
}

type gitOutput struct {
	endpoint
	ModulePrefix string              `json:"modulePrefix"`
	Modules      map[string][]string `json:"modules"`
}

// servers tracks every started http.Server so that stop closes them all (hung requests included).
type servers struct{ list []*http.Server }

func (s *servers) closeAll() {
	for _, srv := range s.list {
		_ = srv.Close()
	}
}

func runServe(args []string) error {
	started := time.Now()
	if len(args) != 1 {
		return errors.New("serve needs exactly one argument: the config file")
	}
	cfg, err := readServeConfig(args[0])
	if err != nil {
		return err
	}
	workDir, removeWorkDir, err := prepareWorkDir(cfg.WorkDir)
	if err != nil {
		return err
	}
	defer removeWorkDir()
	running := &servers{}
	defer running.closeAll()

	out, err := startAll(cfg, workDir, running)
	if err != nil {
		return err
	}
	out.StartupMs = time.Since(started).Milliseconds()
	line, err := json.Marshal(out)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(os.Stdout, "%s\n", line); err != nil {
		return err
	}
	waitForStop()
	return nil
}

func prepareWorkDir(dir string) (string, func(), error) {
	if dir != "" {
		return dir, func() {}, os.MkdirAll(dir, 0o755)
	}
	tmp, err := os.MkdirTemp("", "goproxy-guard-testserver-")
	if err != nil {
		return "", nil, err
	}
	return tmp, func() { _ = os.RemoveAll(tmp) }, nil
}

func startAll(cfg *serveConfig, workDir string, running *servers) (*serveOutput, error) {
	mods, err := loadFixtureModules(cfg.ModulesDir)
	if err != nil {
		return nil, err
	}
	cat := newCatalog(mods)
	ca, err := newAuthority()
	if err != nil {
		return nil, err
	}
	out := &serveOutput{CAFile: filepath.Join(workDir, "ca.pem"), WorkDir: workDir, Proxies: map[string]endpoint{}}
	if err := os.WriteFile(out.CAFile, ca.pem, 0o644); err != nil {
		return nil, err
	}
	for _, m := range mods {
		out.GoSum = append(out.GoSum, m.goSumLines()...)
	}

	private := append([]string(nil), cfg.PrivatePrefixes...)
	if cfg.Git != nil {
		private = append(private, cfg.Git.Host+"/private")
	}
	db, err := newChecksumDB(cfg.SumDB.Name, cat, private)
	if err != nil {
		return nil, err
	}
	dbEndpoint, err := listen(running, ca, cfg.SumDB.listenerConfig, withBehavior(cfg.SumDB.listenerConfig, db.handler))
	if err != nil {
		return nil, fmt.Errorf("sumdb: %w", err)
	}
	out.SumDB = sumdbOutput{endpoint: dbEndpoint, Name: db.name, Key: db.vkey, GoSumDB: db.vkey + " " + dbEndpoint.URL}

	for _, pc := range cfg.Proxies {
		proxy, err := newProxyFor(pc, cat, cfg.PrivatePrefixes, db)
		if err != nil {
			return nil, fmt.Errorf("proxy %q: %w", pc.Name, err)
		}
		ep, err := listen(running, ca, pc.listenerConfig, withBehavior(pc.listenerConfig, proxy))
		if err != nil {
			return nil, fmt.Errorf("proxy %q: %w", pc.Name, err)
		}
		out.Proxies[pc.Name] = ep
	}

	if cfg.Git != nil {
		git, lines, err := startGit(cfg, workDir, ca, running)
		if err != nil {
			return nil, fmt.Errorf("git: %w", err)
		}
		out.Git = git
		out.GoSum = append(out.GoSum, lines...)
	}

	out.Refused, err = refusedEndpoint()
	return out, err
}

func newProxyFor(pc proxyConfig, cat *catalog, private []string, db *checksumDB) (*moduleProxy, error) {
	servedPatterns := strings.Join(pc.Modules, ",")
	privatePatterns := strings.Join(private, ",")
	serves := func(modPath string) bool {
		switch {
		case pc.Modules != nil:
			return module.MatchPrefixPatterns(servedPatterns, modPath)
		case pc.Auth != nil:
			return true
		default:
			return !module.MatchPrefixPatterns(privatePatterns, modPath)
		}
	}
	proxy := &moduleProxy{catalog: cat, serves: serves, tampered: map[string][]byte{}, sumdbName: db.name}
	if pc.SumDB {
		proxy.sumdb = db.handler
	}
	for _, id := range pc.TamperedZips {
		modPath, version, _ := strings.Cut(id, "@")
		m := cat.find(modPath, version)
		if m == nil {
			return nil, fmt.Errorf("tamperedZips: %q is not a fixture module@version", id)
		}
		zip, err := tamperedZip(m)
		if err != nil {
			return nil, err
		}
		proxy.tampered[id] = zip
	}
	return proxy, nil
}

func startGit(cfg *serveConfig, workDir string, ca *authority, running *servers) (*gitOutput, []string, error) {
	env := isolatedGitEnv(workDir)
	projectRoot := filepath.Join(workDir, "git")
	repos, err := createGitRepos(cfg.GitFixturesDir, projectRoot, cfg.Git.Host, env)
	if err != nil {
		return nil, nil, err
	}
	baseURL := "https://" + cfg.Git.Host
	if cfg.Git.Port != 443 {
		baseURL += ":" + strconv.Itoa(cfg.Git.Port)
	}
	auth := &authConfig{Username: cfg.Git.Username, Password: cfg.Git.Password, FailStatus: http.StatusUnauthorized}
	handler, err := newGitServer(cfg.Git.Host, baseURL, projectRoot, auth, repos, env)
	if err != nil {
		return nil, nil, err
	}
	cert, err := ca.certificateFor("https", []string{cfg.Git.Host, "localhost"})
	if err != nil {
		return nil, nil, err
	}
	addr := net.JoinHostPort(cfg.Git.Host, strconv.Itoa(cfg.Git.Port))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, nil, fmt.Errorf("%w (another test server may hold it: give each concurrent one "+
			"its own git.host, e.g. 127.0.0.2)", err)
	}
	serve(running, tls.NewListener(ln, tlsConfig(cert)), handler)
	out := &gitOutput{
		endpoint:     endpoint{URL: baseURL, Host: addr, Port: cfg.Git.Port},
		ModulePrefix: cfg.Git.Host + "/private",
		Modules:      map[string][]string{},
	}
	var lines []string
	for _, r := range repos {
		for _, m := range r.modules {
			out.Modules[m.Path] = append(out.Modules[m.Path], m.Version)
			lines = append(lines, m.goSumLines()...)
		}
	}
	return out, lines, nil
}

// listen starts one HTTP(S) listener on a free 127.0.0.1 port.
func listen(running *servers, ca *authority, lc listenerConfig, handler http.Handler) (endpoint, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return endpoint{}, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	host := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	scheme := "http"
	if lc.TLS != "http" {
		cert, err := ca.certificateFor(lc.TLS, []string{"127.0.0.1", "localhost"})
		if err != nil {
			_ = ln.Close()
			return endpoint{}, err
		}
		ln = tls.NewListener(ln, tlsConfig(cert))
		scheme = "https"
	}
	serve(running, ln, handler)
	return endpoint{URL: scheme + "://" + host, Host: host, Port: port}, nil
}

// tlsConfig offers HTTP/1.1 only: the reset fault needs to hijack the connection, which HTTP/2 does not allow.
func tlsConfig(cert tls.Certificate) *tls.Config {
	return &tls.Config{Certificates: []tls.Certificate{cert}, NextProtos: []string{"http/1.1"}}
}

func serve(running *servers, ln net.Listener, handler http.Handler) {
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, ErrorLog: quietLog()}
	running.list = append(running.list, srv)
	go func() { _ = srv.Serve(ln) }()
}

// refusedEndpoint reserves a free port and releases it, so nothing listens there.
func refusedEndpoint() (endpoint, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return endpoint{}, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	if err := ln.Close(); err != nil {
		return endpoint{}, err
	}
	host := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	return endpoint{URL: "http://" + host, Host: host, Port: port}, nil
}

// waitForStop returns on SIGTERM or SIGINT, or when stdin closes (the parent went away).
func waitForStop() {
	stop := make(chan struct{}, 2)
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
	go func() {
		<-signals
		stop <- struct{}{}
	}()
	go func() {
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop <- struct{}{}
	}()
	<-stop
}
