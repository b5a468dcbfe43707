# Vigil's daemon and CLI. Build: docker build -t vigil .   Run: docker run --rm vigil --help
# Stage 1 builds with the committed Maven wrapper (tests are run by CI, not by the image build).
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -Dmaven.test.skip=true -Dvigil.skipS3Servers=true -pl cli,demo-app -am package

# The demo image (docker compose's simulated storage node: vigil demo-node): the product's commands plus the demo's,
# with the demo's parts. Build it with --target demo; the product image below carries none of it.
FROM eclipse-temurin:21-jre AS demo
RUN groupadd --system vigil && useradd --system --gid vigil --home-dir /var/lib/vigil --create-home vigil
COPY --from=build /src/demo-app/target/vigil-demo-app.jar /opt/vigil/vigil-demo-app.jar
COPY --from=build /src/demo-app/target/lib/ /opt/vigil/lib/
USER vigil
WORKDIR /var/lib/vigil
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", "/opt/vigil/vigil-demo-app.jar:/opt/vigil/lib/*", "dev.vigil.demoapp.DemoMain"]
CMD ["--help"]

# The product (the default, last stage): a JRE, the CLI jar and its runtime libraries; runs as an unprivileged user.
FROM eclipse-temurin:21-jre
RUN groupadd --system vigil && useradd --system --gid vigil --home-dir /var/lib/vigil --create-home vigil
COPY --from=build /src/cli/target/vigil-cli.jar /opt/vigil/vigil-cli.jar
COPY --from=build /src/cli/target/lib/ /opt/vigil/lib/
USER vigil
WORKDIR /var/lib/vigil
# /health and /metrics (daemon.http-port); bind to 0.0.0.0 in the configuration to publish it.
EXPOSE 9464
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-Xmx256m", "-cp", "/opt/vigil/vigil-cli.jar:/opt/vigil/lib/*", "dev.vigil.cli.Main"]
CMD ["--help"]
