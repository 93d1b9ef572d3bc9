/** Implementation details of opskit-jdbc; not API, may change without notice. */
package io.opskit.jdbc.internal;
