/** opskit redis. */
package io.opskit.redis;
