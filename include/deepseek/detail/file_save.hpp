// deepseek-config: typed DeepSeek model configs and exact memory arithmetic.
// SPDX-License-Identifier: MIT
//
// Internal: replacing a file's content so that a crash leaves either the old file or the new one,
// whole. POSIX: a uniquely named temporary file in the same folder (created with O_EXCL, so two
// writers never share one), given the original's mode bits, written and fsync'ed, renamed over
// the target, then the folder fsync'ed so the rename itself is durable. A symbolic link is
// followed: its target is replaced and the link stays. Elsewhere (Windows): the same steps as
// far as the C library goes, without the folder sync.
#ifndef DEEPSEEK_CONFIG_DETAIL_FILE_SAVE_HPP
#define DEEPSEEK_CONFIG_DETAIL_FILE_SAVE_HPP

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>
#include <system_error>

#include "../error.hpp"
#include "file_io.hpp"

#if defined(_WIN32)
#include <io.h>
#else
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>
#endif

namespace deepseek {
namespace detail {

/// The file a write to `path` lands in: `path` itself, or the end of its chain of symbolic links
/// (which may not exist yet). Relative link targets are taken from the link's folder.
inline std::filesystem::path resolve_write_target(const std::filesystem::path& path) {
    namespace fs = std::filesystem;
    fs::path target = path;
    for (int hops = 0; hops < 40; ++hops) { // 40: the kernel's own limit (ELOOP)
        std::error_code ec;
        if (!fs::is_symlink(fs::symlink_status(target, ec))) return target;
        const fs::path link = fs::read_symlink(target, ec);
        if (ec) throw Error(ErrorKind::io, "", "cannot read the symbolic link: " + ec.message(), path.string());
        target = link.is_absolute() ? link : target.parent_path() / link;
    }
    throw Error(ErrorKind::io, "", "too many levels of symbolic links", path.string());
}

/// A name for a temporary file beside `target` that no other writer picks:
/// ".<name>.<pid>-<thread>-<n>-<time>.tmp". The thread tag is the address of a thread_local
/// counter, so two threads of one process differ too (without <atomic> and <chrono>, which cost
/// every translation unit compile time); the file is created with O_EXCL all the same, and a name
/// that is taken is retried with the next `attempt`.
inline std::filesystem::path temporary_name(const std::filesystem::path& target, unsigned attempt) {
    static thread_local unsigned long counter = 0;
    const auto thread = reinterpret_cast<std::uintptr_t>(&counter) % 1000003U;
    const auto seconds = static_cast<unsigned long long>(std::time(nullptr));
#if defined(_WIN32)
    const unsigned long long process = static_cast<unsigned long long>(::_getpid());
#else
    const unsigned long long process = static_cast<unsigned long long>(::getpid());
#endif
    std::string name = "." + target.filename().string() + "." + std::to_string(process) + "-" + std::to_string(thread) +
                       "-" + std::to_string(counter++) + "-" + std::to_string((seconds + attempt) % 1000000007ULL) +
                       ".tmp";
    return target.parent_path() / name;
}

[[noreturn]] inline void save_fail(const std::string& what, int code, const std::filesystem::path& path) {
    throw Error(ErrorKind::io, "", what + ": " + std::generic_category().message(code), path.string());
}

#if !defined(_WIN32)

/// Writes all of `text` to `fd`, through short writes and signals.
inline bool write_all(int fd, std::string_view text) noexcept {
    std::size_t done = 0;
    while (done < text.size()) {
        const ::ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0) {
            if (errno == EINTR) continue;
            return false;
        }
        done += static_cast<std::size_t>(n);
    }
    return true;
}

/// Replaces the content of `path` (or of the file its symbolic link names) with `text`, durably.
/// Errors are ErrorKind::io naming `path`; on failure the target is left as it was.
inline void save_file_atomically(const std::filesystem::path& path, std::string_view text) {
    namespace fs = std::filesystem;
    const fs::path target = resolve_write_target(path);
    fs::path folder = target.parent_path();
    if (folder.empty()) folder = ".";

    // The original's mode bits and owner; a new file gets 0666 less the umask, as open() gives.
    struct ::stat original {};
    const bool existed = ::stat(target.c_str(), &original) == 0;

    fs::path temporary;
    int fd = -1;
    for (unsigned attempt = 0; attempt < 100 && fd < 0; ++attempt) {
        temporary = temporary_name(target, attempt);
        fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
        if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) save_fail("cannot open for writing", errno, path);

    const auto abandon = [&](const std::string& what, int code) {
        ::close(fd);
        ::unlink(temporary.c_str());
        save_fail(what, code, path);
    };
    if (existed) {
        // Best effort on the owner (only root or a member of the group may); the mode must hold.
        const bool owned = ::fchown(fd, original.st_uid, original.st_gid) == 0 ||
                           ::fchown(fd, static_cast<::uid_t>(-1), original.st_gid) == 0;
        static_cast<void>(owned); // not owned: the file keeps ours, as any editor's save would
        if (::fchmod(fd, original.st_mode & 07777) != 0) abandon("cannot set the file's permissions", errno);
    }
    if (!write_all(fd, text)) abandon("cannot write the file", errno);
    if (::fsync(fd) != 0) abandon("cannot flush the file to disk", errno);
    if (::close(fd) != 0) {
        const int code = errno;
        ::unlink(temporary.c_str());
        save_fail("cannot write the file", code, path);
    }
    if (::rename(temporary.c_str(), target.c_str()) != 0) {
        const int code = errno;
        ::unlink(temporary.c_str());
        save_fail("cannot replace the file", code, path);
    }
    // The rename is durable once the folder's entry is on disk. Some file systems cannot sync a
    // folder (EINVAL): the rename stands, as it would on any of them.
    const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir < 0) save_fail("cannot open the folder to flush it", errno, path);
    if (::fsync(dir) != 0 && errno != EINVAL && errno != ENOTSUP) {
        const int code = errno;
        ::close(dir);
        save_fail("cannot flush the folder to disk", code, path);
    }
    ::close(dir);
}

#else

/// Windows: a unique temporary written and committed (_commit), then renamed over the target
/// (std::filesystem::rename replaces it). No folder sync, no mode bits to keep.
inline void save_file_atomically(const std::filesystem::path& path, std::string_view text) {
    namespace fs = std::filesystem;
    const fs::path target = resolve_write_target(path);
    fs::path temporary;
    std::error_code ec;
    for (unsigned attempt = 0; attempt < 100; ++attempt) {
        temporary = temporary_name(target, attempt);
        if (!fs::exists(temporary, ec)) break;
    }
    {
        File out(temporary, true);
        if (out.get() == nullptr) save_fail("cannot open for writing", errno, path);
        const bool written = std::fwrite(text.data(), 1, text.size(), out.get()) == text.size() &&
                             std::fflush(out.get()) == 0 && ::_commit(::_fileno(out.get())) == 0;
        if (!out.close() || !written) {
            fs::remove(temporary, ec);
            throw Error(ErrorKind::io, "", "cannot write the file", path.string());
        }
    }
    fs::rename(temporary, target, ec);
    if (ec) {
        std::error_code ignored;
        fs::remove(temporary, ignored);
        throw Error(ErrorKind::io, "", "cannot replace the file: " + ec.message(), path.string());
    }
}

#endif

} // namespace detail
} // namespace deepseek

#endif // DEEPSEEK_CONFIG_DETAIL_FILE_SAVE_HPP
