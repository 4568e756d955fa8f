// Package model holds warehouse types.
package model

// Location is a place in the warehouse.
type Location struct {
	Aisle int    `json:"aisle"`
	Shelf string `json:"shelf"`
}
