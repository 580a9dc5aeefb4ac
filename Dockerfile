# The image of the GitLab check job (templates/check.yml): the official Go image, Node 24 and the goproxy-guard CLI.
# Build it from the repository root; dist/ is committed, so no npm step runs here:
#   buildah build --build-arg GO_VERSION=1.26 -t goproxy-guard .      (or docker build …)
# The component project's pipeline (.gitlab-ci-component/image.yml) pushes it as $CI_REGISTRY_IMAGE:<tag>.
ARG GO_VERSION=1.26
ARG NODE_VERSION=24

FROM docker.io/library/node:${NODE_VERSION}-bookworm-slim AS node

FROM docker.io/library/golang:${GO_VERSION}-bookworm
# Only the node binary: the CLI is one bundled file with no dependencies, and npm is not needed to run it.
COPY --from=node /usr/local/bin/node /usr/local/bin/node
COPY dist/cli/ /opt/goproxy-guard/
COPY LICENSE /opt/goproxy-guard/LICENSE
RUN printf '#!/bin/sh\nexec /usr/local/bin/node /opt/goproxy-guard/index.js "$@"\n' > /usr/local/bin/goproxy-guard \
  && chmod 0755 /usr/local/bin/goproxy-guard \
  && node --version \
  && goproxy-guard --version
