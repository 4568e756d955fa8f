package protoschema

import "github.com/kitforge/kitforge/generator/model"

// calcService is the calculator: Sum(ctx, a, b int) (int, error) and
// Concat(ctx, a, b string) (string, error).
func calcService() *model.Service {
	const file = "calcservice/service.go"
	return service("calc",
		&model.Method{
			Name: "Sum", Doc: []string{"Sum adds two numbers."}, HasContext: true, HasError: true,
			Pos:     model.Pos{File: file, Line: 14, Col: 2},
			Params:  []*model.Field{param("a", basic("int"), file, 14), param("b", basic("int"), file, 14)},
			Results: []*model.Field{param("v", basic("int"), file, 14)},
		},
		&model.Method{
			Name: "Concat", Doc: []string{"Concat joins two strings.", "", "It never fails."}, HasContext: true, HasError: true,
			Pos:     model.Pos{File: file, Line: 17, Col: 2},
			Params:  []*model.Field{param("a", basic("string"), file, 17), param("b", basic("string"), file, 17)},
			Results: []*model.Field{param("v", basic("string"), file, 17)},
		},
	)
}

const usersPkg = "example.com/users/pkg/usersservice"

// usersTypes are the Go types of the CRUD service; user can add fields.
type usersTypes struct {
	role, address, otherAddress, user, filter *model.Type
}

func newUsersTypes() *usersTypes {
	ts := &usersTypes{}
	ts.role = named(usersPkg, "Role", basic("int"))
	ts.role.Enum = []model.EnumValue{{Name: "RoleReader", Number: 0}, {Name: "RoleAdmin", Number: 1}}
	ts.address = named(usersPkg, "Address", structType(
		sf("Street", "street", basic("string")),
		sf("City", "city", basic("string")),
		sf("Lines", "lines", slice(basic("string"))),
	))
	// Another package's Address: same name, so it gets a qualified message name.
	ts.otherAddress = named("example.com/billing/models", "Address", structType(
		sf("IBAN", "iban", basic("string")),
	))
	ts.user = named(usersPkg, "User", nil)
	ts.user.Underlying = structType(
		sf("ID", "id", basic("string")),
		sf("Name", "", basic("string")),
		sf("Email", "email", ptr(basic("string"))),
		sf("Role", "role", ts.role),
		sf("Created", "createdAt", goTime),
		sf("TTL", "ttl", goDuration),
		sf("Tags", "tags", slice(basic("string"))),
		sf("Labels", "labels", mapOf(basic("string"), basic("string"))),
		sf("Scores", "scores", mapOf(basic("int32"), basic("float64"))),
		sf("Home", "home", ptr(ts.address)),
		sf("Billing", "billing", ts.otherAddress),
		sf("Friends", "friends", slice(ptr(ts.user))), // recursive
		sf("Manager", "manager", ptr(ts.user)),
		sf("Avatar", "avatar", slice(basic("byte"))),
		sf("Checksum", "checksum", array(32, basic("uint8"))),
		sf("Age", "age", ptr(basic("uint8"))),
		sf("Secret", "-", basic("string")),
	)
	ts.filter = named(usersPkg, "Filter", structType(
		sf("Role", "role", ptr(ts.role)),
		sf("Since", "since", ptr(goTime)),
		sf("Names", "names", slice(basic("string"))),
	))
	return ts
}

// usersService is a CRUD service over User.
func usersService(ts *usersTypes) *model.Service {
	const file = "usersservice/service.go"
	m := func(line int, name, doc string, params, results []*model.Field) *model.Method {
		return &model.Method{Name: name, Doc: []string{doc}, HasContext: true, HasError: true,
			Pos: model.Pos{File: file, Line: line, Col: 2}, Params: params, Results: results}
	}
	return service("users",
		m(20, "Create", "Create stores a new user.",
			[]*model.Field{param("user", ts.user, file, 20)},
			[]*model.Field{param("created", ts.user, file, 20)}),
		m(22, "Get", "Get returns one user.",
			[]*model.Field{param("id", basic("string"), file, 22)},
			[]*model.Field{param("user", ptr(ts.user), file, 22)}),
		m(24, "List", "List pages through users.",
			[]*model.Field{param("filter", ts.filter, file, 24), param("limit", ptr(basic("int")), file, 24), param("pageToken", basic("string"), file, 24)},
			[]*model.Field{param("users", slice(ts.user), file, 24), param("nextPageToken", basic("string"), file, 24)}),
		m(26, "Delete", "Delete removes a user.",
			[]*model.Field{param("id", basic("string"), file, 26)}, nil),
		m(28, "CountSince", "CountSince counts users created within a period.",
			[]*model.Field{param("since", goTime, file, 28), param("within", goDuration, file, 28)},
			[]*model.Field{param("n", basic("int64"), file, 28), param("byRole", mapOf(ts.role, basic("int32")), file, 28)}),
	)
}
