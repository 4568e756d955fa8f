package shopservice

import "errors"

// ErrNoProduct is returned for an unknown SKU.
//
//kitforge:status 404
var ErrNoProduct = errors.New("no such product")

// ErrSoldOut is returned when the stock is gone.
//
//kitforge:status 412
var ErrSoldOut = errors.New("sold out")
