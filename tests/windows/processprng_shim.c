/* Test-only stand-in for Windows' bcryptprimitives.dll under Wine 8.0, which lacks
 * it. Rust's standard library imports ProcessPrng from that DLL for random numbers
 * (HashMap keys, getrandom), so without it a Windows build exits before main.
 * Built by tests/windows_wine.rs / .ci/windows.sh with mingw-w64 and copied into
 * the test Wine prefix only; never shipped. */
#include <windows.h>
#include <bcrypt.h>

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x7fffffffu ? 0x7fffffffu : (ULONG)len;
        if (!BCRYPT_SUCCESS(BCryptGenRandom(NULL, data, chunk, BCRYPT_USE_SYSTEM_PREFERRED_RNG)))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
