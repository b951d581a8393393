# dbgen — common tasks. Everything is pure Go: CGO_ENABLED=0 throughout.
export CGO_ENABLED := 0

.PHONY: all generate test check bench fuzz corpus fmt vet

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

# Fuzzing: each target of FUZZTARGETS (package:FuzzName) runs for FUZZTIME,
# one after the other, on FUZZPARALLEL workers (make fuzz FUZZTIME=5m).
# Their seed corpora (f.Add, testdata/fuzz/) run in `make test` too. A crash
# leaves its input in the package's testdata/fuzz/<FuzzName>/; minimized and
# committed there, it stays a regression test. FUZZMINIMIZETIME bounds the
# minimizing of every new input, 60 s by default: the targets that load
# SQLite would spend their time on it. The run goes on after a crash, and
# fails at the end naming the targets that crashed.
FUZZTIME ?= 30s
FUZZPARALLEL ?= 2
FUZZMINIMIZETIME ?= 5s
FUZZTARGETS = internal/sqllex:FuzzSplit generator/sqlcgen:FuzzReadQueries generator/load:FuzzLoad \
	runtime:FuzzDecodeCursor runtime:FuzzRecordFromJSON \
	runtime/admin:FuzzListQuery runtime/admin:FuzzRowsCursor runtime/admin:FuzzRecordKey \
	runtime/admin:FuzzDecodeKey runtime/admin:FuzzRecordBody runtime/migrate:FuzzSplitPostgres

fuzz:
	@failed=; for t in $(FUZZTARGETS); do \
	  pkg=$${t%%:*}; name=$${t##*:}; \
	  echo "== $$name ./$$pkg for $(FUZZTIME)"; \
	  go test -run '^$$' -fuzz "^$$name\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime $(FUZZMINIMIZETIME) \
	    -parallel $(FUZZPARALLEL) ./$$pkg || failed="$$failed $$name"; \
	done; \
	test -z "$$failed" || { echo "fuzz: crashes in$$failed"; exit 1; }

# The sqlc SQLite corpus (../shared/corpus), run against a fresh dbgen binary.
corpus:
	go build -o dbgen ./cmd/dbgen
	../shared/corpus/run.sh ./dbgen

fmt:
	gofmt -w $$(git ls-files '*.go')
