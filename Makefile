# dbgen — common tasks. Everything is pure Go: CGO_ENABLED=0 throughout.
export CGO_ENABLED := 0

.PHONY: all generate test check bench corpus fmt vet

all: generate test

# The main job: regenerate gen/ from the example schemas/.
generate:
	go run ./cmd/dbgen generate

# The test command (README and .ci/run call exactly this).
test:
	test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); exit 1; }
	go build ./...
	go vet ./...
	go test ./...

# Benchmarks: each reports its ratio against a baseline measured in the same
# run (see the *-vs-* and */* metrics). Results go to bench.out.
bench:
	{ go test -run '^$$' -bench . -benchtime 2000x ./internal/apptest; \
	  go test -run '^$$' -bench . -benchtime 2x ./runtime; \
	  go test -run '^$$' -bench . -benchtime 3x ./generator/migrate ./generator/check; \
	  go test -run '^$$' -bench Generate50x20 -benchtime 1x ./generator; } | tee bench.out

# The sqlc SQLite corpus (../shared/corpus), run against a fresh dbgen binary.
corpus:
	go build -o dbgen ./cmd/dbgen
	../shared/corpus/run.sh ./dbgen

fmt:
	gofmt -w $$(git ls-files '*.go')
