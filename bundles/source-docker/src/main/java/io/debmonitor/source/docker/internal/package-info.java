/** The image-report source: v1 payloads about container images, from image uploaders. */
package io.debmonitor.source.docker.internal;
