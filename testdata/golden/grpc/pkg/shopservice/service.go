// Package shopservice sells things.
package shopservice

import (
	"context"
	"net/url"
	"time"

	"kitforge.test/golden/grpc/pkg/billing"
)

// SKU identifies a product.
type SKU string

// Tags are free-form labels.
type Tags []string

// Blob is opaque data.
type Blob []byte

// Digest is a SHA-256 sum.
type Digest [32]byte

// Priority orders work.
type Priority int8

// Audit says who changed a record and when.
type Audit struct {
	By string    `json:"by"`
	At time.Time `json:"at"`
}

// Address is where a parcel goes.
type Address struct {
	Street string `json:"street"`
	City   string `json:"city"`
}

// Product is something the shop sells.
type Product struct {
	Audit
	SKU       SKU                `json:"sku"`
	Name      string             `json:"name"`
	Price     float64            `json:"price"`
	Weight    float32            `json:"weight"`
	Stock     uint               `json:"stock"`
	Rank      int32              `json:"rank"`
	Tags      Tags               `json:"tags"`
	Labels    map[string]string  `json:"labels"`
	Ratings   map[int]float64    `json:"ratings"`
	Image     Blob               `json:"image"`
	Sum       Digest             `json:"sum"`
	Thumb     []byte             `json:"thumb"`
	Discount  *float64           `json:"discount,omitempty"`
	Note      *string            `json:"note,omitempty"`
	Priority  Priority           `json:"priority"`
	Ship      *Address           `json:"ship,omitempty"`
	Warehouse Address            `json:"warehouse"`
	Related   []*Product         `json:"related"`
	Variants  []Product          `json:"variants"`
	Parts     map[string]Product `json:"parts"`
	Expires   *time.Time         `json:"expires,omitempty"`
	Shelf     time.Duration      `json:"shelf"`
	Billing   billing.Address    `json:"billing"`
	Scores    [3]float32         `json:"scores"`
	Flags     map[SKU]bool       `json:"flags"`
	Internal  string             `json:"-"`
}

// Service runs the shop.
//
//kitforge:service
type Service interface {
	// Add stores a product and returns it as stored.
	Add(ctx context.Context, p Product) (Product, error)

	// Get returns a product, or nil when there is none.
	//
	// kitforge:http GET /products/{sku}
	Get(ctx context.Context, sku SKU) (*Product, error)

	// Find lists products by tag, created after a time, at most limit.
	Find(ctx context.Context, tags []string, after *time.Time, limit *int) (products []Product, more bool, err error)

	// Restock adds to the stock of many products at once.
	Restock(ctx context.Context, counts map[SKU]int, by time.Duration) (map[SKU]uint64, error)

	// Tag adds tags to a product.
	Tag(ctx context.Context, sku SKU, tags ...string) error

	// Link points a product at its page and its mirrors.
	Link(ctx context.Context, sku SKU, page *url.URL, mirrors []*url.URL) error

	// Ping answers.
	Ping()

	// Count returns how many products there are.
	Count() int
}
