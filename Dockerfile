# Vigil's daemon and CLI. Build: docker build -t vigil .   Run: docker run --rm vigil --help
# Stage 1 builds with the committed Maven wrapper (tests are run by CI, not by the image build).
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN ./mvnw -B -q -Dmaven.test.skip=true -Dvigil.skipS3Servers=true -pl cli -am package

# Stage 2: a JRE, the CLI jar and its runtime libraries; runs as an unprivileged user.
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
