package cmd

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hmac"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// The authentication end-to-end tests run a generated service behind JWT
// (issue 13, point 9) as a real process and sign the tokens themselves
// (crypto/* only, independent of the JWT library the service uses), with
// the keys of a local JWK Set server that rotates them.

// jwtIssuer and jwtAudience are what the servers under test require.
const (
	jwtIssuer   = "https://issuer.test"
	jwtAudience = "notes"
)

// signJWT signs claims as a compact JWS with alg (HS256 with a []byte key,
// RS256 with an *rsa.PrivateKey, ES256 with an *ecdsa.PrivateKey), naming
// kid in the header when it is not empty.
func signJWT(t *testing.T, alg, kid string, key any, claims map[string]any) string {
	t.Helper()
	header := map[string]any{"alg": alg, "typ": "JWT"}
	if kid != "" {
		header["kid"] = kid
	}
	h, err := json.Marshal(header)
	must(t, err)
	c, err := json.Marshal(claims)
	must(t, err)
	input := b64url(h) + "." + b64url(c)
	digest := sha256.Sum256([]byte(input))
	var sig []byte
	switch alg {
	case "HS256":
		mac := hmac.New(sha256.New, key.([]byte))
		mac.Write([]byte(input))
		sig = mac.Sum(nil)
	case "RS256":
		sig, err = rsa.SignPKCS1v15(rand.Reader, key.(*rsa.PrivateKey), crypto.SHA256, digest[:])
		must(t, err)
	case "ES256":
		r, s, err := ecdsa.Sign(rand.Reader, key.(*ecdsa.PrivateKey), digest[:])
		must(t, err)
		sig = append(r.FillBytes(make([]byte, 32)), s.FillBytes(make([]byte, 32))...)
	default:
		t.Fatalf("signJWT: unknown alg %s", alg)
	}
	return input + "." + b64url(sig)
}

// signed returns a func that signs the claims of claimsWith(changes) as
// signJWT does, when it is called.
func signed(t *testing.T, alg, kid string, key any, changes map[string]any) func() string {
	return func() string { return signJWT(t, alg, kid, key, claimsWith(changes)) }
}

func b64url(b []byte) string { return base64.RawURLEncoding.EncodeToString(b) }

// claimsWith returns the claims of a valid token for the servers under test
// (subject ann, jwtAudience, jwtIssuer, expiring in an hour) changed by
// changes: a nil value removes the claim, a func() any is called now.
func claimsWith(changes map[string]any) map[string]any {
	claims := map[string]any{"sub": "ann", "aud": jwtAudience, "iss": jwtIssuer, "exp": time.Now().Add(time.Hour).Unix()}
	for k, v := range changes {
		switch v := v.(type) {
		case nil:
			delete(claims, k)
		case func() any:
			claims[k] = v()
		default:
			claims[k] = v
		}
	}
	return claims
}

// inSeconds is the NumericDate d from now.
func inSeconds(d time.Duration) int64 { return time.Now().Add(d).Unix() }

// jwksServer is a local JWK Set server whose key set the test replaces
// (a rotation); it counts the fetches.
type jwksServer struct {
	*httptest.Server
	mu      sync.Mutex
	keys    []map[string]string
	fetches int
}

func newJWKSServer(t *testing.T, keys ...map[string]string) *jwksServer {
	s := &jwksServer{keys: keys}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.fetches++
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"keys": s.keys})
	}))
	t.Cleanup(s.Close)
	return s
}

// rotate replaces the key set.
func (s *jwksServer) rotate(keys ...map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = keys
}

// fetched returns how many times the key set was fetched.
func (s *jwksServer) fetched() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.fetches
}

// rsaJWK is the public JWK of key under kid.
func rsaJWK(key *rsa.PrivateKey, kid string) map[string]string {
	return map[string]string{"kty": "RSA", "kid": kid, "alg": "RS256", "use": "sig",
		"n": b64url(key.N.Bytes()), "e": b64url(big.NewInt(int64(key.E)).Bytes())}
}

// ecJWK is the public P-256 JWK of key under kid.
func ecJWK(t *testing.T, key *ecdsa.PrivateKey, kid string) map[string]string {
	point, err := key.PublicKey.Bytes() // 0x04 || X || Y
	must(t, err)
	return map[string]string{"kty": "EC", "kid": kid, "alg": "ES256", "use": "sig", "crv": "P-256",
		"x": b64url(point[1:33]), "y": b64url(point[33:65])}
}

// runEnvErr runs bin with args and extra environment variables, as runErr.
func runEnvErr(t *testing.T, bin string, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// buildNotes generates the notes service of `kitforge new` (its stubs answer
// 501 / Unimplemented once a call is through) with the jwt middleware over
// HTTP and gRPC, builds it and returns the binary.
func buildNotes(t *testing.T) string {
	t.Helper()
	bin, err := kitforgeBin()
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	run(t, work, bin, "new", "notes", "--module", "example.com/notes", "--transport", "http,grpc", "--middleware", "jwt")
	mod := filepath.Join(work, "notes")
	bins := filepath.Join(work, "bin")
	run(t, mod, "go", "build", "-o", bins+string(filepath.Separator), "./cmd/notes")
	run(t, mod, "go", "vet", "./...")
	return filepath.Join(bins, "notes")
}

// authCheck is a call with a token and the outcome wanted: through (the stub
// answers 501 / Unimplemented) or refused (401 / Unauthenticated). The token
// is signed right before each call, as its times are relative to now.
type authCheck struct {
	name    string
	token   func() string
	through bool
}

// expectAuth makes each check over HTTP (POST /sum) and gRPC (notes.Notes/Sum).
func expectAuth(t *testing.T, s *service, grpcAddr string, checks []authCheck) {
	t.Helper()
	for _, c := range checks {
		code, h, body := s.callWith("POST", "/sum", `{"a":1,"b":2}`, http.Header{"Authorization": {"Bearer " + c.token()}})
		wantCode, wantGRPC := 401, "Code: Unauthenticated"
		if c.through {
			wantCode, wantGRPC = 501, "Code: Unimplemented"
		}
		if code != wantCode {
			t.Errorf("HTTP, %s: %d %v, want %d", c.name, code, body, wantCode)
		}
		if code == 401 && h.Get("WWW-Authenticate") != `Bearer realm="notes"` {
			t.Errorf("HTTP, %s: 401 without the Bearer challenge: %v", c.name, h)
		}
		if out, _ := grpcurl(t, []string{"-H", "authorization: Bearer " + c.token()}, grpcAddr, "notes.Notes/Sum"); !strings.Contains(out, wantGRPC) {
			t.Errorf("gRPC, %s: want %s:\n%s", c.name, wantGRPC, out)
		}
	}
}

// TestAuthJWTEndToEnd checks the JWT checks of a generated server over HTTP
// and gRPC: exp is required, the audience and issuer are checked when
// given, the leeway is honoured, a short secret refuses to start, and the
// keys of a JWK Set are picked up when it rotates, without a restart, with
// a bounded rate of fetches.
func TestAuthJWTEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a generated service; skipped with -short")
	}
	notes := buildNotes(t)
	if _, err := grpcurlBin(); err != nil { // built now, not within a check
		t.Fatal(err)
	}
	secret := []byte("a-secret-of-at-least-32-bytes-ok")
	checked := []string{"-jwt-audience", jwtAudience, "-jwt-issuer", jwtIssuer}

	t.Run("claims", func(t *testing.T) {
		grpcAddr := freeAddr(t)
		s := startServiceWith(t, notes, []string{"JWT_SECRET=" + string(secret), "GRPC_ADDR=" + grpcAddr}, append(checked, "-jwt-leeway", "1m")...)
		hs := func(changes map[string]any) func() string { return signed(t, "HS256", "", secret, changes) }
		at := func(d time.Duration) func() any { return func() any { return inSeconds(d) } }
		expectAuth(t, s, grpcAddr, []authCheck{
			{"valid", hs(nil), true},
			{"no exp", hs(map[string]any{"exp": nil}), false},
			{"other audience", hs(map[string]any{"aud": "billing"}), false},
			{"audiences with ours", hs(map[string]any{"aud": []string{"billing", jwtAudience}}), true},
			{"no audience", hs(map[string]any{"aud": nil}), false},
			{"other issuer", hs(map[string]any{"iss": "https://evil.test"}), false},
			{"no issuer", hs(map[string]any{"iss": nil}), false},
			{"expired within the leeway", hs(map[string]any{"exp": at(-15 * time.Second)}), true},
			{"expired past the leeway", hs(map[string]any{"exp": at(-3 * time.Minute)}), false},
			{"nbf within the leeway", hs(map[string]any{"nbf": at(15 * time.Second)}), true},
			{"nbf past the leeway", hs(map[string]any{"nbf": at(3 * time.Minute)}), false},
			{"iat in the future", hs(map[string]any{"iat": at(time.Hour)}), false},
			{"other key", signed(t, "HS256", "", []byte("another-secret-of-32-bytes-too!!"), nil), false},
		})
		// The bearer scheme is matched in any case, too.
		if code, _, body := s.callWith("POST", "/sum", `{"a":1,"b":2}`, http.Header{"Authorization": {"bearer " + hs(nil)()}}); code != 501 {
			t.Errorf("lowercase bearer scheme: %d %v, want 501", code, body)
		}
		s.stop()
	})

	t.Run("default-leeway", func(t *testing.T) {
		out, _ := runEnvErr(t, notes, nil, "-h")
		if !strings.Contains(out, "-jwt-leeway duration") || !strings.Contains(out, "(default 30s)") {
			t.Errorf("-h does not show -jwt-leeway with its default of 30s:\n%s", out)
		}
	})

	t.Run("weak-settings", func(t *testing.T) {
		addrs := []string{"-http-addr", freeAddr(t), "-grpc-addr", freeAddr(t)}
		out, err := runEnvErr(t, notes, []string{"JWT_SECRET=" + string(secret[:31])}, addrs...)
		if err == nil || !strings.Contains(out, "the -jwt-secret is 31 bytes, HS256 wants at least 32") {
			t.Errorf("a 31-byte secret must refuse to start: %v\n%s", err, out)
		}
		out, err = runEnvErr(t, notes, []string{"JWT_SECRET=" + string(secret), "JWT_JWKS_URL=http://127.0.0.1:1/jwks"}, addrs...)
		if err == nil || !strings.Contains(out, "jwt: set only one of") {
			t.Errorf("a secret and a JWKS URL must refuse to start: %v\n%s", err, out)
		}
		out, err = runEnvErr(t, notes, []string{"JWT_JWKS_URL=http://" + freeAddr(t) + "/jwks"}, addrs...)
		if err == nil || !strings.Contains(out, "jwt: -jwt-jwks-url") {
			t.Errorf("an unreachable JWK Set must refuse to start: %v\n%s", err, out)
		}
	})

	t.Run("jwks-rotation", func(t *testing.T) {
		rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
		must(t, err)
		ecKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		must(t, err)
		jwks := newJWKSServer(t, rsaJWK(rsaKey, "k1"))
		grpcAddr := freeAddr(t)
		s := startServiceWith(t, notes, []string{"GRPC_ADDR=" + grpcAddr}, append(checked, "-jwt-jwks-url", jwks.URL)...)
		k1, k2 := signed(t, "RS256", "k1", rsaKey, nil), signed(t, "ES256", "k2", ecKey, nil)
		expectAuth(t, s, grpcAddr, []authCheck{
			{"RS256 token of k1", k1, true},
			{"k1 without exp", signed(t, "RS256", "k1", rsaKey, map[string]any{"exp": nil}), false},
			{"k1 for another audience", signed(t, "RS256", "k1", rsaKey, map[string]any{"aud": "billing"}), false},
			// An HMAC over the public key must not pass for a signature.
			{"HS256 with k1's modulus", signed(t, "HS256", "k1", rsaKey.N.Bytes(), nil), false},
		})
		if n := jwks.fetched(); n != 1 {
			t.Errorf("the key set was fetched %d times before the rotation, want 1 (cached)", n)
		}

		// The issuer rotates to k2 (ES256) and drops k1; the server picks k2 up
		// with its first token, without a restart.
		jwks.rotate(ecJWK(t, ecKey, "k2"))
		rotated := time.Now()
		expectAuth(t, s, grpcAddr, []authCheck{
			{"ES256 token of k2 after the rotation", k2, true},
			{"k1 after the rotation", k1, false},
			{"made-up kid", signed(t, "ES256", "k9", ecKey, nil), false},
			{"k2 without exp", signed(t, "ES256", "k2", ecKey, map[string]any{"exp": nil}), false},
		})
		// One fetch for k2; k1 and k9, unknown, cost none within 30s of it:
		// at most one fetch each 30s, however many unknown key ids come.
		if n, most := jwks.fetched(), 2+int(time.Since(rotated)/(30*time.Second)); n < 2 || n > most {
			t.Errorf("the key set was fetched %d times, want 2 (at start and once on k2), at most %d in %v", n, most, time.Since(rotated))
		}
		s.stop()
	})
}
