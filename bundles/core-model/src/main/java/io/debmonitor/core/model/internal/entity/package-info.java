/** JPA entities; private to core-model, never handed to another bundle. */
package io.debmonitor.core.model.internal.entity;
