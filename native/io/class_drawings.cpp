#include "io/class_drawings.h"

#include <zip.h>

#include <filesystem>
#include <memory>

#include <nlohmann/json.hpp>

namespace digits {
namespace {

constexpr const char* kImagesFile = "images-idx3-ubyte";
constexpr const char* kLabelsFile = "labels-idx1-ubyte";
constexpr const char* kRecordFile = "drawings.json";

constexpr uint64_t kImageBytes = uint64_t(kClassDrawingSide) * kClassDrawingSide;  // 78,400
constexpr uint64_t kMaxImagesBytes = 16 + kMaxClassDrawings * kImageBytes;
constexpr uint64_t kMaxLabelsBytes = 8 + kMaxClassDrawings;
// drawings.json holds every stroke point; the page's 2,000 drawings are a few tens of MiB.
constexpr uint64_t kMaxRecordBytes = uint64_t(256) << 20;
// The zip: the images deflate well, the PNGs are a few KiB each, plus drawings.json.
constexpr uint64_t kMaxZipBytes = uint64_t(1) << 30;

constexpr const char* kRedownload = "download the drawings again from the page";

// The images entry must be exactly an IDX3 header and N whole 280x280 images, N bounded: checked
// from the size alone, before a zip entry is inflated or the pixels are parsed.
bool check_images_size(uint64_t size, const std::string& where, std::string& error) {
  if (size > kMaxImagesBytes) {
    error = where + " is " + std::to_string(size) + " bytes, more than " +
            std::to_string(kMaxClassDrawings) + " drawings of 280x280 (" +
            std::to_string(kMaxImagesBytes) + " bytes) can be; refusing it, " + kRedownload;
    return false;
  }
  if (size < 16 || (size - 16) % kImageBytes != 0) {
    error = where + " is " + std::to_string(size) +
            " bytes, not 16 + N x 78400 (an IDX3 header and N drawings of 280x280); " + kRedownload;
    return false;
  }
  return true;
}

// The pieces' bytes into `out`: IDX images of 280x280, as many labels (0-10), and the record.
bool parse_parts(std::span<const uint8_t> images, std::span<const uint8_t> labels,
                 const std::vector<uint8_t>* record, const std::string& prefix, ClassDrawings& out,
                 std::string& error);
bool parse_record(std::span<const uint8_t> bytes, int count, const std::string& where,
                  ClassDrawings& out, std::string& error);

// --- zip files ----------------------------------------------------------------------------

struct ZipCloser {
  void operator()(zip_t* z) const { zip_discard(z); }
};
struct ZipFileCloser {
  void operator()(zip_file_t* f) const { zip_fclose(f); }
};

// An entry of the zip, as its central directory declares it.
struct Entry {
  zip_uint64_t index = 0;
  uint64_t size = 0, compressed = 0;  // as the zip declares them
  bool deflated = false;              // else stored
};

// An entry whose declared size is already checked against its limit into `out`: exactly that
// many bytes must come out, and then the end, where libzip checks the CRC.
bool read_entry(zip_t* zip, const Entry& entry, const std::string& where, std::vector<uint8_t>& out,
                std::string& error) {
  // Deflate unpacks one byte to at most 1032.
  const uint64_t declared = entry.size, most = entry.deflated ? 1032 : 1;
  if (declared / most > entry.compressed + 64) {
    error = where + " declares " + std::to_string(declared) + " bytes from " +
            std::to_string(entry.compressed) + " compressed, more than it can unpack to; " +
            kRedownload;
    return false;
  }
  std::unique_ptr<zip_file_t, ZipFileCloser> file(zip_fopen_index(zip, entry.index, 0));
  if (!file) {
    error = where + ": cannot be unpacked (" + zip_strerror(zip) + "); " + kRedownload;
    return false;
  }
  out.resize(size_t(declared));
  uint64_t have = 0;
  while (have < declared) {
    const zip_int64_t n = zip_fread(file.get(), out.data() + have, declared - have);
    if (n < 0) {
      error = where + ": damaged (" + zip_file_strerror(file.get()) + "); " + kRedownload;
      return false;
    }
    if (n == 0) break;
    have += uint64_t(n);
  }
  uint8_t extra;
  const zip_int64_t more = have == declared ? zip_fread(file.get(), &extra, 1) : 0;
  if (more < 0) {
    error = where + ": damaged (" + zip_file_strerror(file.get()) + "); " + kRedownload;
    return false;
  }
  if (have != declared || more != 0) {
    error = where + ": unpacks to " + (more ? "more than " : "") + std::to_string(have) +
            " bytes where the zip declares " + std::to_string(declared) + "; " + kRedownload;
    return false;
  }
  return true;
}

// The entry `file` of the top folder: its index and declared size, or false (`error` empty when
// it is simply not there).
bool find_entry(zip_t* zip, const std::string& name, const char* file, Entry& found,
                std::string& error) {
  const std::string entry = std::string(kClassDrawingsFolder) + "/" + file;
  const zip_int64_t i = zip_name_locate(zip, entry.c_str(), 0);
  if (i < 0) return false;
  zip_stat_t st;
  zip_stat_init(&st);
  if (zip_stat_index(zip, zip_uint64_t(i), 0, &st) != 0 || !(st.valid & ZIP_STAT_SIZE)) {
    error =
        name + ": " + entry + " has no readable size (" + zip_strerror(zip) + "); " + kRedownload;
    return false;
  }
  if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
    error = name + ": " + entry + " is encrypted; give the zip as the page saved it";
    return false;
  }
  // Stored or deflated only: deflate's bound on what one byte unpacks to lets read_entry refuse a
  // lie about the size before making a buffer for it; bzip2, xz and zstd have no such bound.
  if (!(st.valid & ZIP_STAT_COMP_METHOD) || !(st.valid & ZIP_STAT_COMP_SIZE) ||
      (st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE)) {
    error = name + ": " + entry + " is compressed by a method other than deflate; " +
            "give the zip as the page saved it";
    return false;
  }
  found = {zip_uint64_t(i), st.size, st.comp_size, st.comp_method == ZIP_CM_DEFLATE};
  return true;
}

}  // namespace

bool parse_class_drawings_zip(std::span<const uint8_t> bytes, const std::string& name,
                              ClassDrawings& out, std::string& error) {
  if (bytes.empty()) {
    error = name + ": the file is empty (0 bytes), not a zip; " + kRedownload;
    return false;
  }
  zip_error_t zerror;
  zip_error_init(&zerror);
  zip_source_t* source = zip_source_buffer_create(bytes.data(), bytes.size(), 0, &zerror);
  std::unique_ptr<zip_t, ZipCloser> zip(source ? zip_open_from_source(source, ZIP_RDONLY, &zerror)
                                               : nullptr);
  if (!zip) {
    error =
        name + ": not a readable zip file (" + zip_error_strerror(&zerror) + "); " + kRedownload;
    if (source) zip_source_free(source);
    zip_error_fini(&zerror);
    return false;
  }
  zip_error_fini(&zerror);
  if (zip_get_num_entries(zip.get(), 0) == 0) {
    error = name + ": the zip holds no files; " + kRedownload;
    return false;
  }

  const std::string prefix = name + ": " + kClassDrawingsFolder + "/";
  Entry images_entry, labels_entry, record_entry;
  error.clear();
  if (!find_entry(zip.get(), name, kImagesFile, images_entry, error)) {
    if (error.empty())
      error = name + ": not a class-drawings zip (it holds no " + kClassDrawingsFolder + "/" +
              kImagesFile + "); give the zip that the page's \"Download our drawings\" saves";
    return false;
  }
  if (!find_entry(zip.get(), name, kLabelsFile, labels_entry, error)) {
    if (error.empty())
      error = name + ": " + kClassDrawingsFolder + "/" + kLabelsFile +
              " is missing, so the drawings have no labels; " + kRedownload;
    return false;
  }
  const bool has_record = find_entry(zip.get(), name, kRecordFile, record_entry, error);
  if (!error.empty()) return false;

  // Every declared size is checked before anything is inflated.
  if (!check_images_size(images_entry.size, prefix + kImagesFile, error)) return false;
  const uint64_t drawings = (images_entry.size - 16) / kImageBytes;
  if (labels_entry.size != 8 + drawings) {
    error = prefix + kLabelsFile + " is " + std::to_string(labels_entry.size) + " bytes, but " +
            std::to_string(drawings) + " drawings need " + std::to_string(8 + drawings) +
            " (an IDX1 header and one label each): the images and labels do not match; " +
            kRedownload;
    return false;
  }
  if (has_record && record_entry.size > kMaxRecordBytes) {
    error = prefix + kRecordFile + " is " + std::to_string(record_entry.size) +
            " bytes, more than " + std::to_string(kMaxRecordBytes) + " read; refusing it, " +
            kRedownload;
    return false;
  }

  std::vector<uint8_t> images, labels, record;
  if (!read_entry(zip.get(), images_entry, prefix + kImagesFile, images, error) ||
      !read_entry(zip.get(), labels_entry, prefix + kLabelsFile, labels, error) ||
      (has_record && !read_entry(zip.get(), record_entry, prefix + kRecordFile, record, error)))
    return false;
  return parse_parts(images, labels, has_record ? &record : nullptr, prefix, out, error);
}

bool load_class_drawings(const std::string& path, ClassDrawings& out, std::string& error) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (!fs::is_directory(path, ec)) {
    std::vector<uint8_t> zip;
    if (!read_file(path, zip, error, kMaxZipBytes)) return false;
    return parse_class_drawings_zip(zip, path, out, error);
  }
  // The unzipped folder itself, or the folder it was unzipped into.
  fs::path dir = path;
  if (!fs::exists(dir / kImagesFile, ec) && fs::is_directory(dir / kClassDrawingsFolder, ec))
    dir /= kClassDrawingsFolder;
  const std::string prefix = (dir / "").string();
  if (!fs::exists(dir / kImagesFile, ec)) {
    error = prefix + kImagesFile + " is missing: this folder is not an unzipped class-drawings " +
            "download (" + kClassDrawingsFolder + "/ with " + kImagesFile + " and " + kLabelsFile +
            "); give that folder or the zip the page saved";
    return false;
  }
  if (!fs::exists(dir / kLabelsFile, ec)) {
    error = prefix + kLabelsFile + " is missing, so the drawings have no labels; " + kRedownload;
    return false;
  }
  std::vector<uint8_t> images, labels, record;
  if (!read_file((dir / kImagesFile).string(), images, error, kMaxImagesBytes) ||
      !read_file((dir / kLabelsFile).string(), labels, error, kMaxLabelsBytes))
    return false;
  const bool has_record = fs::exists(dir / kRecordFile, ec);
  if (has_record && !read_file((dir / kRecordFile).string(), record, error, kMaxRecordBytes))
    return false;
  if (!check_images_size(images.size(), prefix + kImagesFile, error)) return false;
  return parse_parts(images, labels, has_record ? &record : nullptr, prefix, out, error);
}

namespace {

bool parse_parts(std::span<const uint8_t> images, std::span<const uint8_t> labels,
                 const std::vector<uint8_t>* record, const std::string& prefix, ClassDrawings& out,
                 std::string& error) {
  if (!parse_idx_images(images, out.images, error)) {
    error = prefix + kImagesFile + ": " + error + "; " + kRedownload;
    return false;
  }
  if (out.images.rows != kClassDrawingSide || out.images.cols != kClassDrawingSide) {
    error = prefix + kImagesFile + " holds images of " + std::to_string(out.images.cols) + "x" +
            std::to_string(out.images.rows) +
            ", not the page's 280x280; give the file the page saved";
    return false;
  }
  if (out.images.count == 0) {
    error = prefix + kImagesFile + " holds no drawings; label some drawings on the page first";
    return false;
  }
  if (!parse_idx_labels(labels, out.labels, error, kNotADigit)) {
    error = prefix + kLabelsFile + ": " + error + "; " + kRedownload;
    return false;
  }
  if (out.labels.labels.size() != size_t(out.images.count)) {
    error = prefix + kImagesFile + " holds " + std::to_string(out.images.count) + " drawings but " +
            kLabelsFile + " holds " + std::to_string(out.labels.labels.size()) + " labels; " +
            kRedownload;
    return false;
  }
  out.has_record = record != nullptr;
  out.recorded_guesses.clear();
  return !record || parse_record(*record, out.images.count, prefix + kRecordFile, out, error);
}

// drawings.json: checks its format, version and count, and keeps each drawing's recorded
// guesses. Its strokes (most of its bytes) are skipped while parsing, never held.
bool parse_record(std::span<const uint8_t> bytes, int count, const std::string& where,
                  ClassDrawings& out, std::string& error) {
  using nlohmann::json;
  const auto skip_strokes = [](int depth, json::parse_event_t event, json& parsed) {
    return !(depth == 3 && event == json::parse_event_t::key && parsed == "strokes");
  };
  json root;
  try {
    root = json::parse(bytes.begin(), bytes.end(), skip_strokes);
  } catch (const json::parse_error& e) {
    error = where + " is not valid JSON (at byte " + std::to_string(e.byte) + "); " + kRedownload;
    return false;
  }
  const auto field = [&](const char* key) {
    return root.is_object() && root.contains(key) ? root.at(key) : json();
  };
  if (field("format") != "digit-drawer-drawings") {
    error = where + " is not a digit-drawer-drawings record (its \"format\" is " +
            field("format").dump() + "); " + kRedownload;
    return false;
  }
  if (field("version") != 1) {
    error = where + " is version " + field("version").dump() +
            ", and this digits reads version 1; update digits or " + kRedownload;
    return false;
  }
  const json drawings = field("drawings");
  if (!drawings.is_array() || drawings.size() != size_t(count)) {
    error = where + " lists " +
            (drawings.is_array() ? std::to_string(drawings.size()) : std::string("no")) +
            " drawings but " + kImagesFile + " holds " + std::to_string(count) + "; " + kRedownload;
    return false;
  }
  // Informational: a guess that is not {"digit": 0-9, ...} is left out, not an error.
  out.recorded_guesses.assign(size_t(count), {});
  for (int i = 0; i < count; ++i) {
    const json& d = drawings[size_t(i)];
    if (!d.is_object() || !d.contains("guesses") || !d["guesses"].is_object()) continue;
    for (const auto& [model, guess] : d["guesses"].items()) {
      if (!guess.is_object() || !guess.contains("digit")) continue;
      const json& digit = guess["digit"];
      if (digit.is_number_integer() && digit >= 0 && digit <= 9)
        out.recorded_guesses[size_t(i)][model] = digit.get<int>();
    }
  }
  return true;
}

}  // namespace
}  // namespace digits
