package difftest

import (
	"context"
	"io"
	"strings"

	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/proto"
	"google.golang.org/protobuf/reflect/protoreflect"
)

// echoServer answers every rpc with its request, or with the error its
// error_code field asks for: the one implementation behind both
// transcoders.
type echoServer struct{ UnimplementedEchoServer }

// reply returns in, or the status error_code names.
func reply[T proto.Message](in T) (T, error) {
	var zero T
	if err := requestedError(in); err != nil {
		return zero, err
	}
	return in, nil
}

// requestedError is the status a request's error_code field asks for.
func requestedError(in proto.Message) error {
	m := in.ProtoReflect()
	fd := m.Descriptor().Fields().ByName(protoreflect.Name("error_code"))
	if c := codes.Code(m.Get(fd).Int()); c != codes.OK {
		return status.Errorf(c, "echo: %s", c)
	}
	return nil
}

// Watch sends nested.count copies of the request (each with nested.name
// set to its index), then fails with error_code when it is set.
func (echoServer) Watch(in *EchoRequest, stream grpc.ServerStreamingServer[EchoRequest]) error {
	for i := range in.GetNested().GetCount() {
		out := proto.CloneOf(in)
		if out.Nested == nil {
			out.Nested = &Nested{}
		}
		out.Nested.Name = string(rune('a' + i%26))
		if err := stream.Send(out); err != nil {
			return err
		}
	}
	return requestedError(in)
}

// Collect answers the ids of the requests it receives joined by commas,
// or the error the last one asks for.
func (echoServer) Collect(stream grpc.ClientStreamingServer[EchoRequest, EchoRequest]) error {
	var ids []string
	var last *EchoRequest
	for {
		in, err := stream.Recv()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		ids, last = append(ids, in.GetId()), in
	}
	if last != nil {
		if err := requestedError(last); err != nil {
			return err
		}
	}
	return stream.SendAndClose(&EchoRequest{Id: strings.Join(ids, ",")})
}

// GetSimple echoes.
func (echoServer) GetSimple(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// DeleteSimple echoes.
func (echoServer) DeleteSimple(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// GetMulti echoes.
func (echoServer) GetMulti(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// GetDeep echoes.
func (echoServer) GetDeep(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// GetFileLiteral echoes.
func (echoServer) GetFileLiteral(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// GetDocIndex echoes.
func (echoServer) GetDocIndex(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// GetDocs echoes.
func (echoServer) GetDocs(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// GetNested echoes.
func (echoServer) GetNested(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// Merge echoes.
func (echoServer) Merge(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// Literal echoes.
func (echoServer) Literal(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// PostAll echoes.
func (echoServer) PostAll(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// PostNested echoes.
func (echoServer) PostNested(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// PostName echoes.
func (echoServer) PostName(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// PostWkt echoes.
func (echoServer) PostWkt(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// PutScalars echoes.
func (echoServer) PutScalars(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// Link echoes.
func (echoServer) Link(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// Typed echoes.
func (echoServer) Typed(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// When echoes.
func (echoServer) When(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// ResponseNested echoes.
func (echoServer) ResponseNested(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// ResponseName echoes.
func (echoServer) ResponseName(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// ResponseTags echoes.
func (echoServer) ResponseTags(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// ResponseLabels echoes.
func (echoServer) ResponseLabels(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// ResponseWkt echoes.
func (echoServer) ResponseWkt(_ context.Context, in *EchoRequest) (*EchoRequest, error) {
	return reply(in)
}

// Alt echoes.
func (echoServer) Alt(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// Plain echoes.
func (echoServer) Plain(_ context.Context, in *EchoRequest) (*EchoRequest, error) { return reply(in) }

// Update echoes.
func (echoServer) Update(_ context.Context, in *UpdateRequest) (*UpdateRequest, error) {
	return reply(in)
}

// benchServer answers every benchmark rpc with its request.
type benchServer struct{ UnimplementedBenchServer }

// benchMethod is the signature of every benchmark rpc.
type benchMethod = func(context.Context, *BenchRequest) (*BenchRequest, error)

// benchMethods are the rpcs of s by name, for kitforge's side to call
// without reflection, as generated endpoints do.
func benchMethods(s BenchServer) map[string]benchMethod {
	return map[string]benchMethod{
		"Get00":    s.Get00,
		"Create00": s.Create00,
		"Get01":    s.Get01,
		"Create01": s.Create01,
		"Get02":    s.Get02,
		"Create02": s.Create02,
		"Get03":    s.Get03,
		"Create03": s.Create03,
		"Get04":    s.Get04,
		"Create04": s.Create04,
		"Get05":    s.Get05,
		"Create05": s.Create05,
		"Get06":    s.Get06,
		"Create06": s.Create06,
		"Get07":    s.Get07,
		"Create07": s.Create07,
		"Get08":    s.Get08,
		"Create08": s.Create08,
		"Get09":    s.Get09,
		"Create09": s.Create09,
		"Get10":    s.Get10,
		"Create10": s.Create10,
		"Get11":    s.Get11,
		"Create11": s.Create11,
		"Get12":    s.Get12,
		"Create12": s.Create12,
		"Get13":    s.Get13,
		"Create13": s.Create13,
		"Get14":    s.Get14,
		"Create14": s.Create14,
		"Get15":    s.Get15,
		"Create15": s.Create15,
		"Get16":    s.Get16,
		"Create16": s.Create16,
		"Get17":    s.Get17,
		"Create17": s.Create17,
		"Get18":    s.Get18,
		"Create18": s.Create18,
		"Get19":    s.Get19,
		"Create19": s.Create19,
		"Get20":    s.Get20,
		"Create20": s.Create20,
		"Get21":    s.Get21,
		"Create21": s.Create21,
		"Get22":    s.Get22,
		"Create22": s.Create22,
		"Get23":    s.Get23,
		"Create23": s.Create23,
		"Get24":    s.Get24,
		"Create24": s.Create24,
	}
}

// Get00 echoes.
func (benchServer) Get00(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create00 echoes.
func (benchServer) Create00(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get01 echoes.
func (benchServer) Get01(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create01 echoes.
func (benchServer) Create01(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get02 echoes.
func (benchServer) Get02(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create02 echoes.
func (benchServer) Create02(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get03 echoes.
func (benchServer) Get03(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create03 echoes.
func (benchServer) Create03(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get04 echoes.
func (benchServer) Get04(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create04 echoes.
func (benchServer) Create04(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get05 echoes.
func (benchServer) Get05(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create05 echoes.
func (benchServer) Create05(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get06 echoes.
func (benchServer) Get06(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create06 echoes.
func (benchServer) Create06(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get07 echoes.
func (benchServer) Get07(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create07 echoes.
func (benchServer) Create07(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get08 echoes.
func (benchServer) Get08(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create08 echoes.
func (benchServer) Create08(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get09 echoes.
func (benchServer) Get09(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create09 echoes.
func (benchServer) Create09(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get10 echoes.
func (benchServer) Get10(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create10 echoes.
func (benchServer) Create10(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get11 echoes.
func (benchServer) Get11(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create11 echoes.
func (benchServer) Create11(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get12 echoes.
func (benchServer) Get12(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create12 echoes.
func (benchServer) Create12(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get13 echoes.
func (benchServer) Get13(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create13 echoes.
func (benchServer) Create13(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get14 echoes.
func (benchServer) Get14(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create14 echoes.
func (benchServer) Create14(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get15 echoes.
func (benchServer) Get15(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create15 echoes.
func (benchServer) Create15(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get16 echoes.
func (benchServer) Get16(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create16 echoes.
func (benchServer) Create16(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get17 echoes.
func (benchServer) Get17(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create17 echoes.
func (benchServer) Create17(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get18 echoes.
func (benchServer) Get18(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create18 echoes.
func (benchServer) Create18(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get19 echoes.
func (benchServer) Get19(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create19 echoes.
func (benchServer) Create19(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get20 echoes.
func (benchServer) Get20(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create20 echoes.
func (benchServer) Create20(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get21 echoes.
func (benchServer) Get21(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create21 echoes.
func (benchServer) Create21(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get22 echoes.
func (benchServer) Get22(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create22 echoes.
func (benchServer) Create22(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get23 echoes.
func (benchServer) Get23(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create23 echoes.
func (benchServer) Create23(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}

// Get24 echoes.
func (benchServer) Get24(_ context.Context, in *BenchRequest) (*BenchRequest, error) { return in, nil }

// Create24 echoes.
func (benchServer) Create24(_ context.Context, in *BenchRequest) (*BenchRequest, error) {
	return in, nil
}
