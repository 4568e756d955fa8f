// Package floor is the runtime benchmark's floor: the three methods of the
// benchmarked service served with nothing but net/http and encoding/json, as
// plainly as a person would write them. Every other variant answers the same
// requests with the same bytes.
package floor

import (
	"encoding/json"
	"net/http"
)

// NewHandler returns the floor's routes:
//
//	POST /sum           {"a": 1, "b": 2}       → {"v": 3}
//	POST /concat        {"a": "x", "b": "y"}   → {"v": "xy"}
//	GET  /greet/{name}                         → {"v": "hello, name"}
func NewHandler() http.Handler {
	m := http.NewServeMux()
	m.HandleFunc("POST /sum", sum)
	m.HandleFunc("POST /concat", concat)
	m.HandleFunc("GET /greet/{name}", greet)
	return m
}

func sum(w http.ResponseWriter, r *http.Request) {
	var req struct {
		A int `json:"a"`
		B int `json:"b"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, struct {
		V int `json:"v"`
	}{req.A + req.B})
}

func concat(w http.ResponseWriter, r *http.Request) {
	var req struct {
		A string `json:"a"`
		B string `json:"b"`
	}
	if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	writeJSON(w, struct {
		V string `json:"v"`
	}{req.A + req.B})
}

func greet(w http.ResponseWriter, r *http.Request) {
	writeJSON(w, struct {
		V string `json:"v"`
	}{"hello, " + r.PathValue("name")})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{err.Error()})
}
