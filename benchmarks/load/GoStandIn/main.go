// Command gostandin is a stand-in for the original Go session service, for the load table (benchmarks/load/table.py):
// sessions.Sessions Create and Validate over h2c, HS256 session tokens with golang-jwt, grpc-go, one log line per
// call with the standard log package, configured by PORT, LISTEN_ADDRESS, JWT_SECRET and JWT_EXPIRATION as the
// original was. It is not the original (which is not available here); it is built the way such a service is usually
// built, from Debian's packages (grpc-go 1.33, golang-jwt 4.4), so that the table can measure a Go service in the
// same run as ours. Messages are encoded by hand (protowire-style) so that no protoc run is needed.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"log"
	"net"
	"os"
	"strconv"
	"time"

	"github.com/golang-jwt/jwt"
	"google.golang.org/grpc"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/encoding"
	"google.golang.org/grpc/status"
)

// raw carries a message's bytes; the codec below hands them over as they are.
type raw struct{ b []byte }

type rawCodec struct{}

func (rawCodec) Marshal(v interface{}) ([]byte, error) { return v.(*raw).b, nil }
func (rawCodec) Unmarshal(data []byte, v interface{}) error {
	v.(*raw).b = append([]byte(nil), data...)
	return nil
}
func (rawCodec) Name() string { return "proto" }

type server struct {
	secret   []byte
	lifetime time.Duration
}

func main() {
	port := getenv("PORT", "3123")
	address := getenv("LISTEN_ADDRESS", "127.0.0.1")
	secret := os.Getenv("JWT_SECRET")
	if len(secret) < 32 {
		log.Fatal("JWT_SECRET must be set, at least 32 characters")
	}
	lifetime, err := time.ParseDuration(getenv("JWT_EXPIRATION", "24h"))
	if err != nil || lifetime <= 0 {
		log.Fatalf("JWT_EXPIRATION %q is not a positive duration", os.Getenv("JWT_EXPIRATION"))
	}
	encoding.RegisterCodec(rawCodec{})
	listener, err := net.Listen("tcp", net.JoinHostPort(address, port))
	if err != nil {
		log.Fatal(err)
	}
	s := grpc.NewServer()
	s.RegisterService(&grpc.ServiceDesc{
		ServiceName: "sessions.Sessions",
		HandlerType: (*interface{})(nil),
		Methods: []grpc.MethodDesc{
			{MethodName: "Create", Handler: handler((*server).create)},
			{MethodName: "Validate", Handler: handler((*server).validate)},
		},
		Metadata: "sessions.proto",
	}, &server{secret: []byte(secret), lifetime: lifetime})
	log.Printf("listening on %s", listener.Addr())
	log.Fatal(s.Serve(listener))
}

func handler(method func(*server, []byte) ([]byte, error)) func(interface{}, context.Context, func(interface{}) error, grpc.UnaryServerInterceptor) (interface{}, error) {
	return func(srv interface{}, _ context.Context, dec func(interface{}) error, _ grpc.UnaryServerInterceptor) (interface{}, error) {
		in := new(raw)
		if err := dec(in); err != nil {
			return nil, err
		}
		out, err := method(srv.(*server), in.b)
		if err != nil {
			return nil, err
		}
		return &raw{out}, nil
	}
}

type claims struct {
	jwt.StandardClaims
}

func (s *server) create(request []byte) ([]byte, error) {
	userID, err := stringField(request, 1)
	if err != nil || len(userID) != 36 {
		return nil, status.Error(codes.InvalidArgument, "user_id must be a UUID")
	}
	now := time.Now()
	id := make([]byte, 16)
	if _, err := rand.Read(id); err != nil {
		return nil, status.Error(codes.Internal, "no randomness")
	}
	id[6], id[8] = id[6]&0x0f|0x40, id[8]&0x3f|0x80
	sessionID := fmt.Sprintf("%x-%x-%x-%x-%x", id[0:4], id[4:6], id[6:8], id[8:10], id[10:])
	token, err := jwt.NewWithClaims(jwt.SigningMethodHS256, claims{jwt.StandardClaims{
		Issuer: "session-server", Audience: "user", Subject: userID, Id: sessionID,
		IssuedAt: now.Unix(), NotBefore: now.Unix(), ExpiresAt: now.Add(s.lifetime).Unix(),
	}}).SignedString(s.secret)
	if err != nil {
		return nil, status.Error(codes.Internal, "cannot sign")
	}
	log.Printf("Create user_id=%s session=%s", userID, sessionID)
	return reply(true, token, now.Add(s.lifetime).Unix(), now.Unix(), userID, sessionID, now.Unix()), nil
}

func (s *server) validate(request []byte) ([]byte, error) {
	token, err := stringField(request, 1)
	if err != nil {
		return nil, status.Error(codes.InvalidArgument, "bad request")
	}
	parsed, err := jwt.ParseWithClaims(token, &claims{}, func(t *jwt.Token) (interface{}, error) {
		if t.Method != jwt.SigningMethodHS256 {
			return nil, errors.New("unexpected algorithm")
		}
		return s.secret, nil
	})
	// A refused token is INVALID_ARGUMENT with the reason, as the contract in the README says, not OK with valid = false.
	if err != nil || !parsed.Valid {
		log.Printf("Validate valid=false")
		return nil, status.Error(codes.InvalidArgument, reason(err))
	}
	c := parsed.Claims.(*claims)
	if !c.VerifyIssuer("session-server", true) {
		log.Printf("Validate valid=false")
		return nil, status.Error(codes.InvalidArgument, "token issuer is not accepted")
	}
	if !c.VerifyAudience("user", true) {
		log.Printf("Validate valid=false")
		return nil, status.Error(codes.InvalidArgument, "token audience is not accepted")
	}
	log.Printf("Validate valid=true session=%s", c.Id)
	return reply(true, token, c.ExpiresAt, c.IssuedAt, c.Subject, c.Id, c.NotBefore), nil
}

// reason is golang-jwt's word for why a token was refused, without the token.
func reason(err error) string {
	var validation *jwt.ValidationError
	if errors.As(err, &validation) {
		switch {
		case validation.Errors&jwt.ValidationErrorExpired != 0:
			return "token is expired"
		case validation.Errors&jwt.ValidationErrorSignatureInvalid != 0:
			return "token signature is invalid"
		case validation.Errors&jwt.ValidationErrorMalformed != 0:
			return "token is malformed"
		}
	}
	return "token is not valid"
}

// TokenReply: valid = 1, token = 2, expired_at = 3, issued_at = 4, subject = 5, session_id = 6, not_before = 8.
func reply(valid bool, token string, expiresAt, issuedAt int64, subject, sessionID string, notBefore int64) []byte {
	b := make([]byte, 0, 64+len(token)+len(subject)+len(sessionID))
	if valid {
		b = append(b, 1<<3|0, 1)
	}
	b = appendString(b, 2, token)
	b = appendVarintField(b, 3, uint64(expiresAt))
	b = appendVarintField(b, 4, uint64(issuedAt))
	b = appendString(b, 5, subject)
	b = appendString(b, 6, sessionID)
	b = appendVarintField(b, 8, uint64(notBefore))
	return b
}

func appendVarint(b []byte, v uint64) []byte {
	for v >= 0x80 {
		b = append(b, byte(v)|0x80)
		v >>= 7
	}
	return append(b, byte(v))
}

func appendVarintField(b []byte, field int, v uint64) []byte {
	if v == 0 {
		return b
	}
	return appendVarint(append(b, byte(field<<3|0)), v)
}

func appendString(b []byte, field int, s string) []byte {
	if s == "" {
		return b
	}
	b = appendVarint(append(b, byte(field<<3|2)), uint64(len(s)))
	return append(b, s...)
}

// stringField returns the first occurrence of a length-delimited field of a message, skipping the others.
func stringField(b []byte, field int) (string, error) {
	for len(b) > 0 {
		key, n := varint(b)
		if n == 0 {
			return "", errors.New("bad key")
		}
		b = b[n:]
		switch key & 7 {
		case 0:
			_, n = varint(b)
			if n == 0 {
				return "", errors.New("bad varint")
			}
			b = b[n:]
		case 2:
			length, n := varint(b)
			if n == 0 || uint64(len(b)-n) < length {
				return "", errors.New("bad length")
			}
			if int(key>>3) == field {
				return string(b[n : n+int(length)]), nil
			}
			b = b[n+int(length):]
		default:
			return "", errors.New("unsupported wire type " + strconv.Itoa(int(key&7)))
		}
	}
	return "", nil
}

func varint(b []byte) (uint64, int) {
	var v uint64
	for i := 0; i < len(b) && i < 10; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i] < 0x80 {
			return v, i + 1
		}
	}
	return 0, 0
}

func getenv(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
