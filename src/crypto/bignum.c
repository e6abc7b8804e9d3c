#include "crypto/bignum.h"

#if MAMORI_RSA

#include "crypto/bignum_limb.h"

#include <string.h>

void mamori_bn_from_bytes(mamori_limb_t *x, size_t n, const uint8_t *in, size_t len)
{
    memset(x, 0, n * sizeof *x);
    for (size_t i = 0; i < len; i++) {
        size_t bit = 8 * i; /* counted from the least significant end */
        x[bit / LB] |= (mamori_limb_t)in[len - 1 - i] << (bit % LB);
    }
}

void mamori_bn_to_bytes(uint8_t *out, size_t len, const mamori_limb_t *x, size_t n)
{
    for (size_t i = 0; i < len; i++) {
        size_t bit = 8 * i;
        out[len - 1 - i] = bit / LB < n ? (uint8_t)(x[bit / LB] >> (bit % LB)) : 0;
    }
}

mamori_limb_t mamori_bn_sub(mamori_limb_t *r, const mamori_limb_t *a, const mamori_limb_t *b,
                            size_t n)
{
    mamori_limb_t borrow = 0;
    for (size_t i = 0; i < n; i++)
        r[i] = sbb(a[i], b[i], &borrow);
    return borrow;
}

mamori_limb_t mamori_bn_lt(const mamori_limb_t *a, const mamori_limb_t *b, size_t n)
{
    mamori_limb_t borrow = 0;
    for (size_t i = 0; i < n; i++)
        (void)sbb(a[i], b[i], &borrow);
    return borrow;
}

mamori_limb_t mamori_bn_add_to(mamori_limb_t *r, size_t n, const mamori_limb_t *a, size_t an)
{
    mamori_limb_t carry = 0;
    for (size_t i = 0; i < n; i++) {
        mamori_dlimb_t s = (mamori_dlimb_t)r[i] + (i < an ? a[i] : 0) + carry;
        r[i] = (mamori_limb_t)s;
        carry = (mamori_limb_t)(s >> LB);
    }
    return carry;
}

void mamori_bn_mul(mamori_limb_t *r, const mamori_limb_t *a, size_t an, const mamori_limb_t *b,
                   size_t bn)
{
    memset(r, 0, (an + bn) * sizeof *r);
    for (size_t i = 0; i < an; i++) {
        mamori_limb_t carry = 0;
        for (size_t j = 0; j < bn; j++) {
            mamori_dlimb_t z = (mamori_dlimb_t)a[i] * b[j] + r[i + j] + carry;
            r[i + j] = (mamori_limb_t)z;
            carry = (mamori_limb_t)(z >> LB);
        }
        r[i + bn] = carry;
    }
}

/* For r + top*R < 2m: subtracts m once when r + top*R >= m. */
static void reduce_once(mamori_limb_t *r, mamori_limb_t top, const mamori_bn_mont_t *mm)
{
    mamori_limb_t ge = top | (mamori_bn_lt(r, mm->m, mm->n) ^ 1);
    sub_masked(r, mm->m, mask_of(ge), mm->n);
}

/* dst[j] = low limb of src[j] + x[j] * k + carry, for j < n; returns the
 * final carry. dst may equal src or lie below it (a shift down). */
static mamori_limb_t mac_row(mamori_limb_t *dst, const mamori_limb_t *src, const mamori_limb_t *x,
                             size_t n, mamori_limb_t k, mamori_limb_t carry)
{
#if defined(__x86_64__) && defined(__GNUC__) && MAMORI_BN_LIMB_BITS == 64
    /* The compiler's 128-bit arithmetic spills here; this is mul/add/adc,
     * two limbs per iteration after an odd first limb. */
    size_t j = n & 1;
    if (j) {
        mamori_dlimb_t z = (mamori_dlimb_t)x[0] * k + src[0] + carry;
        dst[0] = (mamori_limb_t)z;
        carry = (mamori_limb_t)(z >> LB);
    }
    if (j == n)
        return carry;
    __asm__ volatile("1:\n\t"
                     "movq (%[x],%[j],8), %%rax\n\t"
                     "mulq %[k]\n\t"
                     "addq (%[src],%[j],8), %%rax\n\t"
                     "adcq $0, %%rdx\n\t"
                     "addq %[c], %%rax\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rax, (%[dst],%[j],8)\n\t"
                     "movq %%rdx, %[c]\n\t"
                     "movq 8(%[x],%[j],8), %%rax\n\t"
                     "mulq %[k]\n\t"
                     "addq 8(%[src],%[j],8), %%rax\n\t"
                     "adcq $0, %%rdx\n\t"
                     "addq %[c], %%rax\n\t"
                     "adcq $0, %%rdx\n\t"
                     "movq %%rax, 8(%[dst],%[j],8)\n\t"
                     "movq %%rdx, %[c]\n\t"
                     "addq $2, %[j]\n\t"
                     "cmpq %[n], %[j]\n\t"
                     "jne 1b"
                     : [c] "+&r"(carry), [j] "+&r"(j)
                     : [x] "r"(x), [src] "r"(src), [dst] "r"(dst), [n] "r"(n), [k] "r"(k)
                     : "rax", "rdx", "cc", "memory");
    return carry;
#else
    for (size_t j = 0; j < n; j++) {
        mamori_dlimb_t z = (mamori_dlimb_t)x[j] * k + src[j] + carry;
        dst[j] = (mamori_limb_t)z;
        carry = (mamori_limb_t)(z >> LB);
    }
    return carry;
#endif
}

/* One pass of Montgomery multiplication, operand scanning (CIOS): r + top*R
 * gets ai*b added, then a multiple u*m that clears the low limb, and is
 * shifted down one limb; returns the new top limb. */
static mamori_limb_t mont_row(mamori_limb_t *r, mamori_limb_t top, mamori_limb_t ai,
                              const mamori_limb_t *b, const mamori_bn_mont_t *mm)
{
    const size_t n = mm->n;
    const mamori_limb_t *m = mm->m;
    mamori_dlimb_t hi = (mamori_dlimb_t)top + mac_row(r, r, b, n, ai, 0);
    const mamori_limb_t u = r[0] * mm->m0inv;
    mamori_dlimb_t z = (mamori_dlimb_t)u * m[0] + r[0]; /* low limb is 0 */
    hi += mac_row(r, r + 1, m + 1, n - 1, u, (mamori_limb_t)(z >> LB));
    r[n - 1] = (mamori_limb_t)hi;
    return (mamori_limb_t)(hi >> LB);
}

void mamori_bn_mont_mul(mamori_limb_t *restrict r, const mamori_limb_t *restrict a,
                        const mamori_limb_t *restrict b, const mamori_bn_mont_t *mm)
{
    mamori_limb_t top = 0;
    memset(r, 0, mm->n * sizeof *r);
    for (size_t i = 0; i < mm->n; i++)
        top = mont_row(r, top, a[i], b, mm);
    reduce_once(r, top, mm);
}

/* Limb i of the big-endian number x[0..len). */
static mamori_limb_t limb_of_bytes(const uint8_t *x, size_t len, size_t i)
{
    mamori_limb_t v = 0;
    for (size_t k = 0; k < MAMORI_BN_LIMB_BYTES; k++) {
        size_t pos = i * MAMORI_BN_LIMB_BYTES + k; /* from the least significant end */
        if (pos < len)
            v |= (mamori_limb_t)x[len - 1 - pos] << (8 * k);
    }
    return v;
}

/* r = x * b / R mod m with x given as big-endian bytes (x < m): the CIOS
 * passes read one limb of x each, so x needs no limb buffer. */
static void mont_mul_bytes(mamori_limb_t *r, const uint8_t *x, size_t len,
                           const mamori_limb_t *b, const mamori_bn_mont_t *mm)
{
    mamori_limb_t top = 0;
    memset(r, 0, mm->n * sizeof *r);
    for (size_t i = 0; i < mm->n; i++)
        top = mont_row(r, top, limb_of_bytes(x, len, i), b, mm);
    reduce_once(r, top, mm);
}

/* The column sums of product scanning are three limbs: a double limb acc
 * and the limb c2 above it; this form compiles to mul, add, adc, adc. */
#define MAC3(acc, c2, x, y)                              \
    do {                                                 \
        mamori_dlimb_t p_ = (mamori_dlimb_t)(x) * (y);   \
        (acc) += p_;                                     \
        (c2) += (acc) < p_;                              \
    } while (0)

/* Montgomery squaring in place, product scanning with the reduction
 * interleaved (FIPS): column c sums the products a_j*a_(c-j), each cross
 * product once and then doubled, and u_j*m_(c-j). Each low column fixes
 * u_c so that the column is 0 mod 2^LB; the high columns are the result,
 * written over limbs of a that no later column reads. No 2n-limb product. */
void mamori_bn_mont_sqr(mamori_limb_t *a, const mamori_bn_mont_t *mm, mamori_limb_t *u)
{
    const size_t n = mm->n;
    const mamori_limb_t *m = mm->m;
    mamori_dlimb_t acc = 0;
    mamori_limb_t c2 = 0;
    for (size_t c = 0; c + 1 < 2 * n; c++) {
        const size_t lo = c < n ? 0 : c - n + 1, top = c < n ? c : n;
        mamori_dlimb_t cross = 0;
        mamori_limb_t cross2 = 0;
        for (size_t j = lo; j < c - j; j++)
            MAC3(cross, cross2, a[j], a[c - j]);
        cross2 = (cross2 << 1) | (mamori_limb_t)(cross >> (2 * LB - 1));
        cross <<= 1;
        if ((c & 1) == 0)
            MAC3(cross, cross2, a[c / 2], a[c / 2]);
        acc += cross;
        c2 += cross2 + (acc < cross);
        for (size_t j = lo; j < top; j++)
            MAC3(acc, c2, u[j], m[c - j]);
        if (c < n) {
            u[c] = (mamori_limb_t)acc * mm->m0inv;
            MAC3(acc, c2, u[c], m[0]); /* clears the low limb */
        } else {
            a[c - n] = (mamori_limb_t)acc;
        }
        acc = (acc >> LB) | ((mamori_dlimb_t)c2 << LB);
        c2 = 0;
    }
    a[n - 1] = (mamori_limb_t)acc;
    reduce_once(a, (mamori_limb_t)(acc >> LB), mm);
}

void mamori_bn_from_mont(mamori_limb_t *r, const mamori_limb_t *a, const mamori_bn_mont_t *mm)
{
    const size_t n = mm->n;
    const mamori_limb_t *m = mm->m;
    mamori_limb_t top = 0;
    memmove(r, a, n * sizeof *r);
    for (size_t i = 0; i < n; i++) {
        mamori_limb_t u = r[0] * mm->m0inv;
        mamori_dlimb_t y = (mamori_dlimb_t)u * m[0] + r[0];
        mamori_limb_t c = (mamori_limb_t)(y >> LB);
        for (size_t j = 1; j < n; j++) {
            y = (mamori_dlimb_t)u * m[j] + r[j] + c;
            r[j - 1] = (mamori_limb_t)y;
            c = (mamori_limb_t)(y >> LB);
        }
        y = (mamori_dlimb_t)top + c;
        r[n - 1] = (mamori_limb_t)y;
        top = (mamori_limb_t)(y >> LB);
    }
    reduce_once(r, top, mm);
}

void mamori_bn_mod_add(mamori_limb_t *r, const mamori_limb_t *a, const mamori_limb_t *b,
                       const mamori_bn_mont_t *mm)
{
    memmove(r, a, mm->n * sizeof *r);
    mamori_limb_t carry = add_masked(r, b, mask_of(1), mm->n);
    reduce_once(r, carry, mm);
}

void mamori_bn_mod_sub(mamori_limb_t *r, const mamori_limb_t *a, const mamori_limb_t *b,
                       const mamori_bn_mont_t *mm)
{
    mamori_limb_t borrow = mamori_bn_sub(r, a, b, mm->n);
    add_masked(r, mm->m, mask_of(borrow), mm->n);
}

/* x = 2x mod m, for x < m. */
static void mod_double(mamori_limb_t *x, const mamori_bn_mont_t *mm)
{
    mamori_limb_t carry = 0;
    for (size_t i = 0; i < mm->n; i++) {
        mamori_limb_t next = x[i] >> (LB - 1);
        x[i] = (x[i] << 1) | carry;
        carry = next;
    }
    reduce_once(x, carry, mm);
}

static void mont_setup(mamori_bn_mont_t *mm, const mamori_limb_t *m, size_t n, mamori_limb_t *r2)
{
    /* Newton's iteration for m0^-1 mod 2^LB: each step doubles the correct
     * low bits, starting from 3 (any odd m0 is its own inverse mod 8). */
    mamori_limb_t inv = m[0];
    for (int i = 0; i < 5; i++)
        inv *= 2 - m[0] * inv;
    mm->m = m;
    mm->n = n;
    mm->m0inv = (mamori_limb_t)0 - inv;
    mm->r2 = r2;
}

void mamori_bn_mont_init(mamori_bn_mont_t *mm, const mamori_limb_t *m, size_t n,
                         mamori_limb_t *r2, mamori_limb_t *tmp)
{
    mont_setup(mm, m, n, r2);
    /* R mod m by doubling 1; that is 1 in Montgomery form. */
    memset(r2, 0, n * sizeof *r2);
    r2[0] = 1;
    for (size_t i = 0; i < n * LB; i++)
        mod_double(r2, mm);
    /* Write n*LB = a * 2^k with a odd. Doubling the Montgomery form of 2^e
     * gives 2^(e+1), squaring it gives 2^(2e): a doublings then k squarings
     * reach 2^(n*LB), whose Montgomery form is R^2 mod m. */
    size_t k = 0, a = n * LB;
    while ((a & 1) == 0) {
        a >>= 1;
        k++;
    }
    for (size_t i = 0; i < a; i++)
        mod_double(r2, mm);
    for (size_t i = 0; i < k; i++)
        mamori_bn_mont_sqr(r2, mm, tmp);
}

/* floor((hi * 2^LB + lo) / d) for hi < d, variable time. With 32-bit limbs
 * a bitwise long division keeps libgcc's 64-bit division (about 750 bytes
 * on a Cortex-M4) out of the image. */
static mamori_limb_t div_public(mamori_limb_t hi, mamori_limb_t lo, mamori_limb_t d)
{
#if MAMORI_BN_LIMB_BITS == 64
    return (mamori_limb_t)((((mamori_dlimb_t)hi << LB) | lo) / d);
#else
    mamori_limb_t q = 0;
    for (int i = LB - 1; i >= 0; i--) {
        mamori_limb_t over = hi >> (LB - 1);
        hi = (hi << 1) | ((lo >> i) & 1);
        q <<= 1;
        if (over || hi >= d) {
            hi -= d;
            q |= 1;
        }
    }
    return q;
#endif
}

/* x = x * 2^LB mod m for x < m, variable time; m is normalised (the top bit
 * of its top limb is set), so the quotient estimated from the top two limbs
 * (Knuth's algorithm D) is at most 2 too large, and at most two additions
 * of m fix the remainder. */
static void mul_base_public(mamori_limb_t *x, const mamori_limb_t *m, size_t n)
{
    const mamori_limb_t xtop = x[n - 1];
    mamori_limb_t q = ~(mamori_limb_t)0;
    if (xtop < m[n - 1])
        q = div_public(xtop, x[n - 2], m[n - 1]);
    /* x*2^LB - q*m over n+1 limbs; the top limb is 0 or (negative) -1, -2. */
    mamori_limb_t borrow = 0, carry = 0, below = 0;
    for (size_t j = 0; j < n; j++) {
        mamori_dlimb_t p = (mamori_dlimb_t)q * m[j] + carry;
        carry = (mamori_limb_t)(p >> LB);
        mamori_dlimb_t d = (mamori_dlimb_t)below - (mamori_limb_t)p - borrow;
        below = x[j];
        x[j] = (mamori_limb_t)d;
        borrow = (mamori_limb_t)(d >> LB) & 1;
    }
    for (mamori_limb_t hi = xtop - carry - borrow; hi != 0;)
        hi += add_masked(x, m, mask_of(1), n);
}

/* r = x * 2^(steps*LB) mod m for x < m (r may alias x), variable time:
 * the work is done on x and m shifted left until m's top bit is set.
 * tmp: n limbs. */
static void shift_mod_public(mamori_limb_t *r, const mamori_limb_t *x, size_t steps,
                             const mamori_bn_mont_t *mm, size_t bits, mamori_limb_t *tmp)
{
    const size_t n = mm->n, sh = n * LB - bits;
    for (size_t i = n; i-- > 0;) {
        mamori_limb_t m_in = i > 0 && sh ? mm->m[i - 1] >> (LB - sh) : 0;
        mamori_limb_t x_in = i > 0 && sh ? x[i - 1] >> (LB - sh) : 0;
        tmp[i] = (mm->m[i] << sh) | m_in;
        r[i] = (x[i] << sh) | x_in;
    }
    for (size_t i = 0; i < steps; i++)
        mul_base_public(r, tmp, n);
    for (size_t i = 0; i < n; i++)
        r[i] = (r[i] >> sh) | (i + 1 < n && sh ? r[i + 1] << (LB - sh) : 0);
}

void mamori_bn_mont_init_public(mamori_bn_mont_t *mm, const mamori_limb_t *m, size_t n,
                                size_t bits, mamori_limb_t *r2, mamori_limb_t *tmp)
{
    mont_setup(mm, m, n, r2);
    if (!r2)
        return;
    memset(r2, 0, n * sizeof *r2);
    r2[0] = 1;
    shift_mod_public(r2, r2, 2 * n, mm, bits, tmp);
}

void mamori_bn_mont_init_factor(mamori_bn_mont_t *mm, const mamori_limb_t *m, size_t n,
                                mamori_limb_t *r2, const mamori_bn_mont_t *big, size_t bits,
                                mamori_limb_t *x, mamori_limb_t *tmp)
{
    const size_t len = (big->n > 2 * n ? big->n : 2 * n) + 1;
    mont_setup(mm, m, n, r2);
    memset(x, 0, len * sizeof *x);
    x[0] = 1;
    shift_mod_public(x, x, 3 * n, big, bits, tmp);
    /* Montgomery reduction of x = R^3 mod N by m: x + sum u_i*m*2^(i*LB)
     * is a multiple of R, and divided by R it is R^2 mod m plus at most
     * N/R + m < 2m. The carries run to the end whatever their values. */
    for (size_t i = 0; i < n; i++) {
        mamori_limb_t hi = mac_row(x + i, x + i, m, n, x[i] * mm->m0inv, 0), carry = 0;
        x[i + n] = adc(x[i + n], hi, &carry);
        for (size_t j = i + n + 1; j < len; j++)
            x[j] = adc(x[j], 0, &carry);
    }
    memcpy(r2, x + n, n * sizeof *r2);
    reduce_once(r2, x[2 * n], mm);
}

void mamori_bn_to_mont_public(mamori_limb_t *r, const mamori_limb_t *x,
                              const mamori_bn_mont_t *mm, size_t bits, mamori_limb_t *tmp)
{
    shift_mod_public(r, x, mm->n, mm, bits, tmp);
}

void mamori_bn_reduce_to_mont(mamori_limb_t *r, const mamori_limb_t *x, size_t xn,
                              const mamori_bn_mont_t *mm, mamori_limb_t *tmp)
{
    const size_t n = mm->n;
    mamori_limb_t *chunk = tmp, *prod = tmp + n;
    size_t chunks = (xn + n - 1) / n;
    memset(r, 0, n * sizeof *r);
    /* Horner over n-limb chunks from the top: r = r*R + chunk, all in
     * Montgomery form (mont_mul by R^2 multiplies by R). */
    for (size_t c = chunks; c-- > 0;) {
        size_t have = xn - c * n < n ? xn - c * n : n;
        memset(chunk, 0, n * sizeof *chunk);
        memcpy(chunk, x + c * n, have * sizeof *chunk);
        mamori_bn_mont_mul(prod, r, mm->r2, mm);
        mamori_bn_mont_mul(r, chunk, mm->r2, mm);
        mamori_bn_mod_add(r, r, prod, mm);
    }
}

/* dst = table[index] without an index-dependent memory access. */
static void table_select(mamori_limb_t *dst, const mamori_limb_t *table, mamori_limb_t index,
                         size_t n)
{
    memset(dst, 0, n * sizeof *dst);
    for (mamori_limb_t k = 0; k < MAMORI_BN_TABLE_SIZE; k++) {
        mamori_limb_t diff = k ^ index;
        mamori_limb_t mask = mask_of(((diff | ((mamori_limb_t)0 - diff)) >> (LB - 1)) ^ 1);
        for (size_t i = 0; i < n; i++)
            dst[i] |= table[k * n + i] & mask;
    }
}

void mamori_bn_mod_exp(mamori_limb_t *r, const mamori_limb_t *base, const mamori_limb_t *exp,
                       size_t exp_bits, const mamori_bn_mont_t *mm, mamori_limb_t *table,
                       mamori_limb_t *tmp)
{
    const size_t n = mm->n;
    mamori_limb_t *sq = tmp, *sel = tmp + n;
    mamori_bn_from_mont(table, mm->r2, mm); /* R mod m: 1 in Montgomery form */
    memcpy(table + n, base, n * sizeof *table);
    for (size_t k = 2; k < MAMORI_BN_TABLE_SIZE; k++)
        mamori_bn_mont_mul(table + k * n, table + (k - 1) * n, base, mm);

    for (size_t pos = exp_bits; pos > 0;) {
        pos -= MAMORI_BN_WINDOW;
        mamori_limb_t index = (exp[pos / LB] >> (pos % LB)) & (MAMORI_BN_TABLE_SIZE - 1);
        if (pos + MAMORI_BN_WINDOW == exp_bits) { /* first window: nothing to square */
            table_select(r, table, index, n);
            continue;
        }
        for (int s = 0; s < MAMORI_BN_WINDOW; s++)
            mamori_bn_mont_sqr(r, mm, tmp);
        table_select(sel, table, index, n);
        mamori_bn_mont_mul(sq, r, sel, mm);
        memcpy(r, sq, n * sizeof *r);
    }
}

/* Left to right. A multiplication by x in plain form takes the
 * accumulator out of Montgomery form: the last one (e is odd) gives the
 * result directly, others are followed by a multiplication by R: by R^2
 * when mm has it (constant time), else by division steps. */
void mamori_bn_mod_exp_public(mamori_limb_t *r, mamori_limb_t *acc, const uint8_t *x,
                              size_t x_len, uint32_t e, size_t bits, const mamori_bn_mont_t *mm)
{
    int bit = 31;
    while (bit > 0 && !((e >> bit) & 1))
        bit--;
    while (bit-- > 1) {
        mamori_bn_mont_sqr(acc, mm, r);
        if ((e >> bit) & 1) {
            mont_mul_bytes(r, x, x_len, acc, mm);
            if (mm->r2) {
                mamori_bn_mont_mul(acc, r, mm->r2, mm);
            } else {
                mamori_bn_to_mont_public(r, r, mm, bits, acc);
                memcpy(acc, r, mm->n * sizeof *r);
            }
        }
    }
    mamori_bn_mont_sqr(acc, mm, r);
    mont_mul_bytes(r, x, x_len, acc, mm);
}

#endif
