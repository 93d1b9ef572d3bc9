/** opskit http. */
package io.opskit.http;
