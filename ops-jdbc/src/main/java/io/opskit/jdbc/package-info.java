/** opskit jdbc. */
package io.opskit.jdbc;
