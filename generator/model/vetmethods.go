package model

// VetMethods are the method names go vet's stdmethods check holds to the
// signature of a standard interface (json.Marshaler's MarshalJSON, ...),
// with that signature as "(param types) (result types)". A service method
// so named with another signature fails go vet in the user's interface and
// in every generated type that implements it. Is, As and Unwrap count only
// on a type that implements error.
var VetMethods = map[string]string{
	"As":            "(any) (bool)",
	"Format":        "(fmt.State, rune) ()",
	"GobDecode":     "([]byte) (error)",
	"GobEncode":     "() ([]byte, error)",
	"Is":            "(error) (bool)",
	"MarshalJSON":   "() ([]byte, error)",
	"MarshalXML":    "(*xml.Encoder, xml.StartElement) (error)",
	"ReadByte":      "() (byte, error)",
	"ReadFrom":      "(io.Reader) (int64, error)",
	"ReadRune":      "() (rune, int, error)",
	"Scan":          "(fmt.ScanState, rune) (error)",
	"Seek":          "(int64, int) (int64, error)",
	"UnmarshalJSON": "([]byte) (error)",
	"UnmarshalXML":  "(*xml.Decoder, xml.StartElement) (error)",
	"UnreadByte":    "() (error)",
	"UnreadRune":    "() (error)",
	"Unwrap":        "() (error)",
	"WriteByte":     "(byte) (error)",
	"WriteTo":       "(io.Writer) (int64, error)",
}

// ErrorOnlyVetMethods are the VetMethods that go vet checks only on types
// that implement error.
var ErrorOnlyVetMethods = map[string]bool{"Is": true, "As": true, "Unwrap": true}
