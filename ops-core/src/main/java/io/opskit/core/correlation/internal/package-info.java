/** Implementation of the correlation package: the ID generator and the correlating executors. Not API. */
package io.opskit.core.correlation.internal;
