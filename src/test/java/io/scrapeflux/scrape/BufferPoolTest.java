package io.scrapeflux.scrape;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BufferPoolTest {

    @Test
    void aBigEnoughKeptArrayIsReusedEvenWhenSmallerOnesAreKeptToo() {
        BufferPool pool = new BufferPool(4, 1 << 20);
        byte[] small = new byte[8192];
        byte[] big = new byte[100_000];
        pool.release(small);
        pool.release(big);
        for (int i = 0; i < 3; i++) {
            byte[] got = pool.acquire(90_000);
            assertThat(got).isSameAs(big);
            pool.release(got);
        }
        assertThat(pool.acquire(5000)).isSameAs(small);
    }

    @Test
    void keptBytesStayWithinTheBound() {
        BufferPool pool = new BufferPool(8, 1 << 20, 250_000);
        for (int i = 0; i < 8; i++) {
            pool.release(new byte[100_000]);
        }
        assertThat(pool.pooledBytes()).isEqualTo(200_000);
        pool.acquire(100_000);
        assertThat(pool.pooledBytes()).isEqualTo(100_000);
    }

    @Test
    void arraysLargerThanTheKeptMaximumAreLeftToTheGc() {
        BufferPool pool = new BufferPool(2, 1000);
        byte[] huge = new byte[2000];
        pool.release(huge);
        assertThat(pool.pooledBytes()).isZero();
        assertThat(pool.acquire(1500)).isNotSameAs(huge);
    }

    @Test
    void aFullPoolOfOutgrownArraysTakesTheBodySizeArrayInPlaceOfItsSmallest() {
        // A target's first scrapes grow its body through 4 KiB, 10 KiB, 20 KiB...; those must not keep
        // the pool full while every later scrape allocates its 57 KiB body afresh.
        BufferPool pool = new BufferPool(3, 1 << 20);
        pool.release(new byte[4096]);
        pool.release(new byte[20_000]);
        pool.release(new byte[10_000]);
        byte[] body = new byte[57_536];
        pool.release(body);
        assertThat(pool.pooledBytes()).isEqualTo(20_000 + 10_000 + 57_536);
        for (int i = 0; i < 3; i++) {
            byte[] got = pool.acquire(57_536);
            assertThat(got).isSameAs(body);
            pool.release(got);
        }
        assertThat(pool.acquire(57_536)).isSameAs(body);
        assertThat(pool.acquire(15_000)).as("the smallest, 4 KiB, gave way").hasSize(20_000);
        assertThat(pool.acquire(5_000)).hasSize(10_000);
    }
}
