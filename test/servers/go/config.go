package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"regexp"
)

// serveConfig is the JSON file given to `testserver serve`. README.md documents every field.
type serveConfig struct {
	ModulesDir      string           `json:"modulesDir"`
	GitFixturesDir  string           `json:"gitFixturesDir"`
	WorkDir         string           `json:"workDir"`
	PrivatePrefixes []string         `json:"privatePrefixes"`
	Proxies         []proxyConfig    `json:"proxies"`
	SumDB           *sumdbConfig     `json:"sumdb"`
	Git             *gitServerConfig `json:"git"`
}

// listenerConfig is what every HTTP listener shares: transport security and behaviour.
type listenerConfig struct {
	TLS      string      `json:"tls"`
	Behavior string      `json:"behavior"`
	Status   int         `json:"status"`
	Body     string      `json:"body"`
	DelayMs  int         `json:"delayMs"`
	Auth     *authConfig `json:"auth"`
}

type authConfig struct {
	Username   string `json:"username"`
	Password   string `json:"password"`
	FailStatus int    `json:"failStatus"`
}

type proxyConfig struct {
	Name string `json:"name"`
	listenerConfig
	Modules      []string `json:"modules"`
	SumDB        bool     `json:"sumdb"`
	TamperedZips []string `json:"tamperedZips"`
}

type sumdbConfig struct {
	Name string `json:"name"`
	listenerConfig
}

type gitServerConfig struct {
	Host     string `json:"host"`
	Port     int    `json:"port"`
	Username string `json:"username"`
	Password string `json:"password"`
}

const (
	defaultSumDBName   = "localhost/test-sumdb"
	defaultGitHost     = "127.0.0.1"
	defaultGitPort     = 443
	defaultPrivateRoot = "corp.example"
)

var (
	tlsModes = map[string]bool{
		"http": true, "https": true, "self-signed": true, "wrong-host": true, "expired": true,
	}
	behaviors  = map[string]bool{"healthy": true, "not-found": true, "gone": true, "status": true, "hang": true, "hang-zip": true, "reset": true}
	failStatus = map[int]bool{401: true, 403: true, 404: true}
	proxyName  = regexp.MustCompile(`^[A-Za-z0-9_.-]+$`)
)

func readServeConfig(file string) (*serveConfig, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var cfg serveConfig
	if err := dec.Decode(&cfg); err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	if err := cfg.normalize(); err != nil {
		return nil, fmt.Errorf("config %s: %w", file, err)
	}
	return &cfg, nil
}

// normalize fills defaults and rejects what the servers could not honour.
func (c *serveConfig) normalize() error {
	if c.ModulesDir == "" {
		return errors.New("modulesDir is required")
	}
	if c.PrivatePrefixes == nil {
		c.PrivatePrefixes = []string{defaultPrivateRoot}
	}
	seen := map[string]bool{}
	for i := range c.Proxies {
		p := &c.Proxies[i]
		if !proxyName.MatchString(p.Name) || seen[p.Name] {
			return fmt.Errorf("proxies[%d]: name %q must be unique and match %s", i, p.Name, proxyName)
		}
		seen[p.Name] = true
		if err := p.listenerConfig.normalize(); err != nil {
			return fmt.Errorf("proxy %q: %w", p.Name, err)
		}
	}
	if c.SumDB == nil {
		c.SumDB = &sumdbConfig{}
	}
	if c.SumDB.Name == "" {
		c.SumDB.Name = defaultSumDBName
	}
	if err := c.SumDB.listenerConfig.normalize(); err != nil {
		return fmt.Errorf("sumdb: %w", err)
	}
	if c.Git != nil {
		if c.GitFixturesDir == "" {
			return errors.New("gitFixturesDir is required with git")
		}
		if c.Git.Host == "" {
			c.Git.Host = defaultGitHost
		}
		if c.Git.Port == 0 {
			c.Git.Port = defaultGitPort
		}
		if c.Git.Username == "" || c.Git.Password == "" {
			return errors.New("git: username and password are required")
		}
	}
	return nil
}

func (l *listenerConfig) normalize() error {
	if l.TLS == "" {
		l.TLS = "https"
	}
	if !tlsModes[l.TLS] {
		return fmt.Errorf("unknown tls %q", l.TLS)
	}
	if l.Behavior == "" {
		l.Behavior = "healthy"
	}
	if !behaviors[l.Behavior] {
		return fmt.Errorf("unknown behavior %q", l.Behavior)
	}
	if l.Behavior == "status" && (l.Status < 100 || l.Status > 599) {
		return fmt.Errorf("behavior status needs status between 100 and 599, got %d", l.Status)
	}
	if l.DelayMs < 0 {
		return fmt.Errorf("delayMs must not be negative")
	}
	if l.Auth != nil {
		if l.Auth.Username == "" || l.Auth.Password == "" {
			return errors.New("auth needs username and password")
		}
		if l.Auth.FailStatus == 0 {
			l.Auth.FailStatus = 401
		}
		if !failStatus[l.Auth.FailStatus] {
			return fmt.Errorf("auth.failStatus must be 401, 403 or 404, got %d", l.Auth.FailStatus)
		}
	}
	return nil
}
