package transcode

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"reflect"
	"testing"

	"google.golang.org/protobuf/types/known/emptypb"
)

func TestEncodeResponse(t *testing.T) {
	list := fromJSON(t, "ListBooksResponse", `{"books": [{"name": "shelves/1/books/2", "publishTime": "2024-05-01T10:00:00Z",
		"genre": "HISTORY", "bestReview": {"text": "ok"}, "isbn": "1", "pages": 0}], "nextPageToken": "t2", "totalSize": 3}`)
	tests := []struct {
		name         string
		responseBody string
		want         string
	}{
		{name: "whole message, lowerCamel, enum names, WKT JSON forms, unset fields left out", want: `{"books": [{"name": "shelves/1/books/2",
			"publishTime": "2024-05-01T10:00:00Z", "genre": "HISTORY", "bestReview": {"text": "ok"}, "isbn": "1", "pages": 0}],
			"nextPageToken": "t2", "totalSize": 3}`},
		{name: "response_body *", responseBody: "*", want: `{"books": [{"name": "shelves/1/books/2",
			"publishTime": "2024-05-01T10:00:00Z", "genre": "HISTORY", "bestReview": {"text": "ok"}, "isbn": "1", "pages": 0}],
			"nextPageToken": "t2", "totalSize": 3}`},
		{name: "response_body repeated field", responseBody: "books", want: `[{"name": "shelves/1/books/2",
			"publishTime": "2024-05-01T10:00:00Z", "genre": "HISTORY", "bestReview": {"text": "ok"}, "isbn": "1", "pages": 0}]`},
		{name: "response_body scalar field", responseBody: "next_page_token", want: `"t2"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := httptest.NewRecorder()
			if err := EncodeResponse(tt.responseBody)(context.Background(), w, list); err != nil {
				t.Fatal(err)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			assertJSON(t, w.Body.Bytes(), tt.want)
		})
	}

	book := fromJSON(t, "Book", `{"bestReview": {"text": "ok", "stars": 4}, "publishTime": "2024-05-01T10:00:00Z"}`)
	for field, want := range map[string]string{
		"best_review":  `{"text": "ok", "stars": 4}`,
		"publish_time": `"2024-05-01T10:00:00Z"`,
		"labels":       `{}`,
		"pages":        `null`,
	} {
		w := httptest.NewRecorder()
		if err := EncodeResponse(field)(context.Background(), w, book); err != nil {
			t.Fatal(err)
		}
		assertJSON(t, w.Body.Bytes(), want)
	}

	w := httptest.NewRecorder()
	if err := EncodeResponse("")(context.Background(), w, &emptypb.Empty{}); err != nil {
		t.Fatal(err)
	}
	assertJSON(t, w.Body.Bytes(), `{}`)

	if err := EncodeResponse("")(context.Background(), httptest.NewRecorder(), "not a message"); err == nil {
		t.Error("a non-message response was encoded")
	}
	if err := EncodeResponse("nope")(context.Background(), httptest.NewRecorder(), book); err == nil {
		t.Error("an unknown response_body field was encoded")
	}
}

// assertJSON compares two JSON documents by value (protojson output is
// deliberately unstable in its spacing).
func assertJSON(t *testing.T, got []byte, want string) {
	t.Helper()
	var g, w any
	if err := json.Unmarshal(got, &g); err != nil {
		t.Fatalf("response %q: %v", got, err)
	}
	if err := json.Unmarshal([]byte(want), &w); err != nil {
		t.Fatalf("bad want %q: %v", want, err)
	}
	if !reflect.DeepEqual(g, w) {
		t.Errorf("JSON %s, want %s", got, want)
	}
}
