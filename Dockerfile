# Answerable: one binary, SQLite by default, PostgreSQL when DATABASE_URL says so.
#
#   docker build -t answerable .
#   docker run -p 8080:8080 -v answerable-data:/var/lib/answerable answerable
#
# See docker-compose.yml for PostgreSQL and a mail catcher.

# ---- build -----------------------------------------------------------------
FROM rust:1-bookworm AS builder

RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        pkg-config libssl-dev \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /build
COPY Cargo.toml Cargo.lock ./
COPY src ./src
COPY migrations ./migrations
COPY assets ./assets

RUN cargo build --release --locked \
    && install -m 0755 target/release/answerable /usr/local/bin/answerable

# ---- runtime ---------------------------------------------------------------
FROM debian:bookworm-slim

# ca-certificates for TLS to mail servers; libssl3 in case the PostgreSQL
# client library is built against the system OpenSSL.
RUN apt-get update \
    && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        ca-certificates libssl3 \
    && rm -rf /var/lib/apt/lists/*

RUN groupadd --system answerable \
    && useradd --system --gid answerable --home-dir /var/lib/answerable \
        --shell /usr/sbin/nologin answerable \
    && mkdir -p /var/lib/answerable \
    && chown answerable:answerable /var/lib/answerable

COPY --from=builder /usr/local/bin/answerable /usr/local/bin/answerable
# Static assets next to the working directory, in case they are read from
# ./assets at run time rather than embedded in the binary.
COPY --from=builder /build/assets /usr/share/answerable/assets

ENV ANSWERABLE_DATA_DIR=/var/lib/answerable \
    ANSWERABLE_BIND=0.0.0.0:8080

WORKDIR /usr/share/answerable
USER answerable
VOLUME ["/var/lib/answerable"]
EXPOSE 8080

CMD ["answerable", "serve"]
