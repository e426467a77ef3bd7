# syntax=docker/dockerfile:1
# Consul.Web image: same layout and entrypoint behaviour as the official consul image.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props Consul.Web.sln ./
COPY src/ src/
COPY wwwroot/ wwwroot/
RUN dotnet publish src/Agent/Agent.csproj -c Release -r linux-x64 --self-contained true \
      -p:PublishTrimmed=false -o /out \
 && rm -f /out/*.pdb

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
ARG VERSION=1.21.0
LABEL org.opencontainers.image.title="consul" \
      org.opencontainers.image.description="Consul.Web: service discovery, health checks, KV, DNS and a live UI" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.source="https://github.com/consul-web/consul-web"

# tini reaps zombies and forwards signals as PID 1; setpriv drops to the consul user;
# setcap grants the privileged-port capability; curl serves the healthcheck; iproute2
# resolves CONSUL_BIND_INTERFACE / CONSUL_CLIENT_INTERFACE.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini libcap2-bin iproute2 curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 999 consul \
 && useradd --system --uid 999 --gid consul --home-dir /consul --shell /usr/sbin/nologin consul \
 && mkdir -p /consul/data /consul/config \
 && chown -R consul:consul /consul

COPY --from=build /out /opt/consul
RUN ln -s /opt/consul/consul /bin/consul
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
RUN chmod 0755 /usr/local/bin/docker-entrypoint.sh

VOLUME /consul/data /consul/config

# Server RPC, LAN and WAN gossip, HTTP API and UI, DNS.
EXPOSE 8300 8301/tcp 8301/udp 8302/tcp 8302/udp 8500 8600/tcp 8600/udp

HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8500/v1/status/leader >/dev/null || exit 1

ENTRYPOINT ["tini", "--", "docker-entrypoint.sh"]
CMD ["agent", "-dev", "-client", "0.0.0.0"]
