// Package storeservice keeps a store.
package storeservice

import (
	"context"
	"errors"
	"strings"
)

// Item is a line of stock.
type Item struct {
	SKU string `json:"sku"`
	Qty int    `json:"qty"`
}

// Validate requires a SKU and a positive quantity.
func (i Item) Validate() error {
	if i.SKU == "" || i.Qty <= 0 {
		return errors.New("an item needs a sku and a positive qty")
	}
	return nil
}

// Email is an e-mail address.
type Email string

// Validate requires an @.
func (e *Email) Validate() error {
	if !strings.Contains(string(*e), "@") {
		return errors.New("not an e-mail address")
	}
	return nil
}

// Filter narrows a listing; it has no Validate method.
type Filter struct {
	Prefix string `json:"prefix"`
}

// Service keeps a store.
//
//kitforge:service
type Service interface {
	// Add adds an item.
	Add(ctx context.Context, item Item) (string, error)
	// Notify tells to about item, if any.
	Notify(ctx context.Context, to Email, item *Item) error
	// List lists the items that pass f.
	List(ctx context.Context, f Filter, limit int) ([]Item, error)
	// Count counts the items.
	Count(ctx context.Context) (int, error)
}
