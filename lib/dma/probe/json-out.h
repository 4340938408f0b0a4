/* One-line JSON output shared by the probe helpers: strings escaped, bytes as hex. */
#ifndef JSON_OUT_H
#define JSON_OUT_H
#include <stdint.h>
#include <stdio.h>

static inline void json_str(FILE *f, const char *s) {
  if (!s) {
    fputs("null", f);
    return;
  }
  fputc('"', f);
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c == '"' || c == '\\')
      fprintf(f, "\\%c", c);
    else if (c < 0x20 || c == 0x7f)
      fprintf(f, "\\u%04x", c);
    else
      fputc(c, f);
  }
  fputc('"', f);
}

static inline void json_hex(FILE *f, const uint8_t *b, size_t n) {
  fputc('"', f);
  for (size_t i = 0; i < n; i++) fprintf(f, "%02x", b[i]);
  fputc('"', f);
}

static inline void json_addr(FILE *f, uint64_t a) { fprintf(f, "\"0x%llx\"", (unsigned long long)a); }

#endif
