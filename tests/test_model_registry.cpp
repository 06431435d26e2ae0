// The model registry (core/model_registry.h): the one list every loop over "the models" reads.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/classifier.h"
#include "core/model_registry.h"
#include "test_support.h"
#include "train/trainers.h"

namespace digits {
namespace {

using ::testing::HasSubstr;

TEST(ModelRegistry, IdsKindsAndFilesAreDistinct) {
  std::set<std::string> ids, files;
  std::set<uint32_t> kinds;
  for (const ModelInfo& m : kModelRegistry) {
    EXPECT_TRUE(ids.insert(m.id).second) << m.id;
    EXPECT_TRUE(files.insert(m.weights_file).second) << m.weights_file;
    EXPECT_TRUE(kinds.insert(static_cast<uint32_t>(m.kind)).second) << m.id;
    EXPECT_NE(static_cast<uint32_t>(m.kind), 0u) << m.id;
    EXPECT_NE(std::string(m.name), "") << m.id;
    ASSERT_NE(m.parse, nullptr) << m.id;
  }
  EXPECT_EQ(ids.size(), size_t(kModels));
}

TEST(ModelRegistry, LooksModelsUpByKindAndId) {
  for (int i = 0; i < kModels; ++i) {
    EXPECT_EQ(model_index(kModelRegistry[i].kind), i);
    EXPECT_EQ(model_index(kModelRegistry[i].id), i);
    EXPECT_EQ(std::string(model_id(kModelRegistry[i].kind)), kModelRegistry[i].id);
  }
  EXPECT_EQ(model_index(ModelKind{0}), -1);
  EXPECT_EQ(model_index("svm"), -1);
  EXPECT_EQ(std::string(model_id(ModelKind{99})), "unknown");
}

TEST(ModelRegistry, EveryModelHasExactlyOneTrainer) {
  for (const ModelInfo& m : kModelRegistry) {
    const Trainer* trainer = find_trainer(m.kind);
    ASSERT_NE(trainer, nullptr) << m.id << " has no trainer in train/trainers.cpp";
    EXPECT_NE(trainer->train, nullptr);
  }
  EXPECT_EQ(kTrainers.size(), size_t(kModels))
      << "a trainer for a model the registry does not list";
}

TEST(ModelRegistry, EachEntryParsesItsOwnFileAndRefusesTheOthers) {
  for (int i = 0; i < kModels; ++i) {
    for (int j = 0; j < kModels; ++j) {
      std::string error;
      const auto model = kModelRegistry[i].parse(committed_weights(j), error);
      if (i == j) {
        ASSERT_NE(model, nullptr) << kModelRegistry[i].id << ": " << error;
        EXPECT_GT(model->parameter_count(), 0u);
      } else {
        EXPECT_EQ(model, nullptr);
        EXPECT_THAT(error, HasSubstr(std::string("holds ") + kModelRegistry[j].id +
                                     " weights, expected " + kModelRegistry[i].id));
      }
    }
  }
}

TEST(ModelRegistry, ClassifierRefusesAnIndexOutsideTheRegistry) {
  DigitClassifier c;
  std::string error;
  EXPECT_FALSE(c.load(kModels, committed_weights(0), error));
  EXPECT_THAT(error, HasSubstr("there is no model"));
  EXPECT_FALSE(c.load(-1, committed_weights(0), error));
  EXPECT_FALSE(c.loaded(-1));
  EXPECT_FALSE(c.loaded(kModels));
  EXPECT_FALSE(c.ready());
}

TEST(ModelRegistry, AFailedLoadKeepsTheModelLoadedBefore) {
  DigitClassifier c;
  std::string error;
  ASSERT_TRUE(c.load(0, committed_weights(0), error)) << error;
  EXPECT_FALSE(c.load(0, committed_weights(1), error));
  EXPECT_TRUE(c.loaded(0));
}

}  // namespace
}  // namespace digits
