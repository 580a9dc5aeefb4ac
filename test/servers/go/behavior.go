package main

import (
	"crypto/subtle"
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"strings"
	"time"
)

// withBehavior wraps a listener's real handler with its configured delay, fault and Basic auth,
// in that order: a slow or broken server is slow or broken whoever asks.
func withBehavior(cfg listenerConfig, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if cfg.DelayMs > 0 {
			select {
			case <-time.After(time.Duration(cfg.DelayMs) * time.Millisecond):
			case <-r.Context().Done():
				return
			}
		}
		switch cfg.Behavior {
		case "hang-zip":
			// Answers everything but module zips, which it never sends: a probe finds it healthy, a download hangs.
			if strings.HasSuffix(r.URL.Path, ".zip") {
				<-r.Context().Done()
				return
			}
		case "hang":
			// The request context ends when the client goes away or the server closes.
			<-r.Context().Done()
			return
		case "reset":
			resetConnection(w)
			return
		case "not-found":
			textError(w, http.StatusNotFound, "not found: this proxy serves nothing")
			return
		case "gone":
			textError(w, http.StatusGone, "gone: this proxy serves nothing")
			return
		case "status":
			body := cfg.Body
			if body == "" {
				body = http.StatusText(cfg.Status)
			}
			textError(w, cfg.Status, body)
			return
		}
		if cfg.Auth != nil && !authorized(r, cfg.Auth) {
			deny(w, cfg.Auth.FailStatus)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func authorized(r *http.Request, auth *authConfig) bool {
	user, pass, ok := r.BasicAuth()
	userOK := subtle.ConstantTimeCompare([]byte(user), []byte(auth.Username)) == 1
	passOK := subtle.ConstantTimeCompare([]byte(pass), []byte(auth.Password)) == 1
	return ok && userOK && passOK
}

func deny(w http.ResponseWriter, status int) {
	switch status {
	case http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Basic realm="goproxy-guard test"`)
		textError(w, status, "unauthorized: missing or wrong credentials")
	case http.StatusForbidden:
		textError(w, status, "forbidden: missing or wrong credentials")
	default:
		textError(w, status, "not found")
	}
}

// textError answers with a short text/plain body, which the go command quotes as "server response:".
func textError(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	fmt.Fprintln(w, body)
}

// resetConnection drops the TCP connection with an RST (linger 0) after the request was read.
func resetConnection(w http.ResponseWriter) {
	hijacker, ok := w.(http.Hijacker)
	if !ok {
		textError(w, http.StatusInternalServerError, "reset: connection cannot be hijacked")
		return
	}
	conn, _, err := hijacker.Hijack()
	if err != nil {
		return
	}
	if tlsConn, ok := conn.(*tls.Conn); ok {
		conn = tlsConn.NetConn()
	}
	if tcp, ok := conn.(*net.TCPConn); ok {
		_ = tcp.SetLinger(0)
	}
	_ = conn.Close()
}
