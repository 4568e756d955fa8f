package shoptransport

import (
	"context"
	"errors"
	"net/url"
	"reflect"
	"testing"
	"time"

	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"

	"kitforge.test/golden/grpc/pkg/billing"
	"kitforge.test/golden/grpc/pkg/shopendpoint"
	"kitforge.test/golden/grpc/pkg/shopservice"
)

// wire sends a message through the protobuf wire format.
func wire(t *testing.T, m any) any {
	t.Helper()
	pm := m.(proto.Message)
	b, err := proto.Marshal(pm)
	if err != nil {
		t.Fatal(err)
	}
	out := pm.ProtoReflect().New().Interface()
	if err := proto.Unmarshal(b, out); err != nil {
		t.Fatal(err)
	}
	return out
}

type codec func(context.Context, any) (any, error)

// roundTrip sends v through enc, the wire and dec, and requires it back as it was.
func roundTrip(t *testing.T, name string, v any, enc, dec codec) {
	t.Helper()
	m, err := enc(context.Background(), v)
	if err != nil {
		t.Fatalf("%s: encode: %v", name, err)
	}
	got, err := dec(context.Background(), wire(t, m))
	if err != nil {
		t.Fatalf("%s: decode: %v", name, err)
	}
	if !reflect.DeepEqual(got, v) {
		t.Errorf("%s changed on the way:\n got %+v\nwant %+v", name, got, v)
	}
}

// product has every field set, with a related product for the recursion.
func product() shopservice.Product {
	at := time.Date(2026, 5, 4, 3, 2, 1, 123456789, time.UTC)
	discount, note := 0.25, "fragile"
	leaf := shopservice.Product{SKU: "B-2", Name: "bolt", Tags: shopservice.Tags{"small"}}
	return shopservice.Product{
		Audit:     shopservice.Audit{By: "ann", At: at},
		SKU:       "A-1",
		Name:      "anvil",
		Price:     99.5,
		Weight:    12.25,
		Stock:     1 << 40,
		Rank:      -3,
		Tags:      shopservice.Tags{"heavy", "iron"},
		Labels:    map[string]string{"colour": "black"},
		Ratings:   map[int]float64{5: 0.75, -1: 0.25},
		Image:     shopservice.Blob{0, 1, 2},
		Sum:       shopservice.Digest{31: 9},
		Thumb:     []byte("png"),
		Discount:  &discount,
		Note:      &note,
		Priority:  -7,
		Ship:      &shopservice.Address{Street: "1 Main St", City: "Springfield"},
		Warehouse: shopservice.Address{City: "Shelbyville"},
		Related:   []*shopservice.Product{&leaf},
		Variants:  []shopservice.Product{leaf},
		Parts:     map[string]shopservice.Product{"head": leaf},
		Expires:   &at,
		Shelf:     90 * time.Minute,
		Billing:   billing.Address{Company: "ACME", VAT: "DE1"},
		Scores:    [3]float32{1, 2.5, 3},
		Flags:     map[shopservice.SKU]bool{"B-2": true},
	}
}

// TestGRPCRoundTrip sends requests and responses through the generated
// converters and the wire, client to server and back.
func TestGRPCRoundTrip(t *testing.T) {
	after, limit := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC), 10
	p := product()
	for _, c := range []struct {
		name     string
		v        any
		enc, dec codec
	}{
		{"AddRequest", shopendpoint.AddRequest{P: p}, encodeGRPCAddRequest, decodeGRPCAddRequest},
		{"AddResponse", shopendpoint.AddResponse{Product: p}, encodeGRPCAddResponse, decodeGRPCAddResponse},
		{"GetRequest", shopendpoint.GetRequest{Sku: "A-1"}, encodeGRPCGetRequest, decodeGRPCGetRequest},
		{"GetResponse", shopendpoint.GetResponse{Product: &p}, encodeGRPCGetResponse, decodeGRPCGetResponse},
		{"GetResponse nil", shopendpoint.GetResponse{}, encodeGRPCGetResponse, decodeGRPCGetResponse},
		{"FindRequest", shopendpoint.FindRequest{Tags: []string{"x"}, After: &after, Limit: &limit}, encodeGRPCFindRequest, decodeGRPCFindRequest},
		{"FindRequest empty", shopendpoint.FindRequest{}, encodeGRPCFindRequest, decodeGRPCFindRequest},
		{"FindResponse", shopendpoint.FindResponse{Products: []shopservice.Product{p, {}}, More: true}, encodeGRPCFindResponse, decodeGRPCFindResponse},
		{"RestockRequest", shopendpoint.RestockRequest{Counts: map[shopservice.SKU]int{"A-1": -2}, By: time.Second}, encodeGRPCRestockRequest, decodeGRPCRestockRequest},
		{"RestockResponse", shopendpoint.RestockResponse{V: map[shopservice.SKU]uint64{"A-1": 1 << 63}}, encodeGRPCRestockResponse, decodeGRPCRestockResponse},
		{"TagRequest", shopendpoint.TagRequest{Sku: "A-1", Tags: []string{"a", "b"}}, encodeGRPCTagRequest, decodeGRPCTagRequest},
		{"LinkRequest", shopendpoint.LinkRequest{Sku: "A-1", Page: &url.URL{Scheme: "https", Host: "shop.example", Path: "/a 1", RawQuery: "x=1", Fragment: "top"},
			Mirrors: []*url.URL{{Scheme: "https", Host: "mirror.example", Path: "/a-1"}, {Opaque: "x"}}}, encodeGRPCLinkRequest, decodeGRPCLinkRequest},
		{"CountResponse", shopendpoint.CountResponse{V: 42}, encodeGRPCCountResponse, decodeGRPCCountResponse},
	} {
		roundTrip(t, c.name, c.v, c.enc, c.dec)
	}
}

// TestGRPCErrors maps business errors to gRPC statuses and back.
func TestGRPCErrors(t *testing.T) {
	for _, c := range []struct {
		err    error
		code   codes.Code
		status int
	}{
		{shopservice.ErrNotImplemented, codes.Unimplemented, 501},
		{shopservice.Errorf(404, "no such product"), codes.NotFound, 404},
		{shopservice.Errorf(412, "stale"), codes.FailedPrecondition, 422},
		{shopservice.Errorf(418, "teapot"), codes.Unknown, 500},
		{errors.New("disk on fire"), codes.Internal, 500},
		{context.DeadlineExceeded, codes.DeadlineExceeded, 504},
	} {
		_, err := encodeGRPCTagResponse(context.Background(), shopendpoint.TagResponse{Err: c.err})
		st, ok := status.FromError(err)
		if !ok || st.Code() != c.code || st.Message() != c.err.Error() {
			t.Errorf("%v: status %v (ok %v), want %v", c.err, st, ok, c.code)
			continue
		}
		var se *shopservice.StatusError
		back := statusErrorOf(grpcError(err))
		if !errors.As(back, &se) || se.Code != c.status || se.Message != c.err.Error() {
			t.Errorf("%v: back on the client as %#v, want status %d", c.err, back, c.status)
		}
		if is := errors.Is(back, shopservice.ErrNotImplemented); is != (c.status == 501) {
			t.Errorf("%v: errors.Is(ErrNotImplemented) = %v on the client", c.err, is)
		}
	}
}
