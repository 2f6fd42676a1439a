# lienhe: the bot in a container. The database lives on the volume /data.
#
#   docker build -t lienhe .
#   docker run -d --name lienhe --restart on-failure \
#       -e TELOXIDE_TOKEN=123456:ABC… -v lienhe-data:/data lienhe
#
# Operator commands run in the same container, on the same database:
#   docker exec lienhe lienhe doctor
#   docker exec lienhe lienhe backup --out /backups/manual-2026-12-01.db
# (daily backups: -e LIENHE_BACKUP_DIR=/backups -v lienhe-backups:/backups;
# better still, a volume on another disk)

# --- build -------------------------------------------------------------------
FROM rust:1.95-slim-bookworm AS build
WORKDIR /src
# The bundled SQLite is compiled with the image's C compiler.
COPY Cargo.toml Cargo.lock i18n.toml ./
COPY src src
COPY migrations migrations
COPY locales locales
COPY assets assets
RUN cargo build --release --locked --bin lienhe \
    && strip target/release/lienhe

# --- run ---------------------------------------------------------------------
FROM debian:bookworm-slim
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --uid 10001 --user-group --home-dir /data \
               --shell /usr/sbin/nologin lienhe \
    && mkdir -p /data /backups \
    && chown lienhe:lienhe /data /backups \
    && chmod 0700 /data /backups
COPY --from=build /src/target/release/lienhe /usr/local/bin/lienhe
USER lienhe
WORKDIR /data
ENV DATABASE_URL=sqlite:///data/lienhe.db \
    RUST_LOG=info
VOLUME ["/data", "/backups"]
# SIGTERM (docker stop) finishes the updates in hand; allow it the time.
STOPSIGNAL SIGTERM
CMD ["lienhe", "run"]
